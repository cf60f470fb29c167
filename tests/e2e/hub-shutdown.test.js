'use strict';
// Graceful shutdown on SIGTERM/SIGINT: stop accepting, tell every client, finish API calls
// and forwarded events in flight (up to the drain timeout), disconnect everyone, exit 0.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { EventEmitter } = require('node:events');
const { sioConnect } = require('./lib/clients');
const { once, emitAck, tracker, withTimeout } = require('./lib/util');
const { startHub, api } = require('./hub-harness');


test('SIGTERM drains: notice, pending API acks and forwarded events finish, then exit 0', async (t) => {
  const track = tracker(t);
  const held = new EventEmitter();
  const backend = http.createServer((req, res) => { req.resume(); req.on('end', () => held.emit('request', res)); });
  await new Promise((resolve) => backend.listen(0, '127.0.0.1', resolve));
  t.after(() => { backend.closeAllConnections(); backend.close(); });

  const hub = await startHub({
    config: {
      shutdown: { event: 'server-shutting-down', reconnectInMs: 1234, drainTimeoutMs: 8000 },
      namespaces: [{
        name: '/', rooms: ['public:*'],
        forward: { url: `http://127.0.0.1:${backend.address().port}/`, events: ['save'], timeoutMs: 8000 },
      }],
    },
  });
  t.after(() => hub.stop('SIGKILL'));

  const ws = await sioConnect(track, hub.url, '/', { transports: ['websocket'] });
  const polling = await sioConnect(track, hub.url, '/', { transports: ['polling'] });
  assert.deepEqual(await emitAck(polling, 'subscribe', ['public:x']), [{ ok: true }]);

  // An API call waiting for an ack, and a forwarded event waiting for the backend.
  const asked = once(ws, 'ask');
  const apiCall = api(hub.url, 'POST', '/api/v1/emit', { rooms: [ws.id], event: 'ask', ackTimeoutMs: 8000 }, { timeoutMs: 10000 });
  const [ack] = await asked;
  const backendGotIt = once(held, 'request');
  const saved = emitAck(polling, 'save', [{ doc: 1 }], 10000);
  const [backendResponse] = await backendGotIt;

  const noticeWs = once(ws, 'server-shutting-down');
  const noticePolling = once(polling, 'server-shutting-down');
  const goneWs = once(ws, 'disconnect', 10000);
  const gonePolling = once(polling, 'disconnect', 10000);
  let exited = false;
  hub.exit.then(() => { exited = true; });
  hub.child.kill('SIGTERM');

  assert.deepEqual(await noticeWs, [{ reconnectIn: 1234 }]);
  assert.deepEqual(await noticePolling, [{ reconnectIn: 1234 }]);
  // Existing sessions go on (the polling client still polls); new work is refused.
  const handshake = await fetch(`${hub.url}/socket.io/?EIO=4&transport=polling`);
  assert.equal(handshake.status, 503, 'no new sessions while draining');
  assert.equal((await api(hub.url, 'POST', '/api/v1/emit', { event: 'x' })).status, 503, 'no new API calls');
  const health = await api(hub.url, 'GET', '/health');
  assert.deepEqual([health.status, health.body.status], [503, 'draining']);
  assert.equal(exited, false, 'still draining: work is in flight');

  backendResponse.end('{"saved":true}');
  assert.deepEqual(await saved, [{ saved: true }]);
  ack('done');
  const res = await apiCall;
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { recipients: 1, acks: [{ socketId: ws.id, args: ['done'] }], timedOut: false });

  assert.equal((await goneWs)[0], 'transport close');
  assert.equal((await gonePolling)[0], 'transport close');
  const { code, signal } = await withTimeout(hub.exit, 5000, 'plugboard to exit');
  assert.deepEqual([code, signal], [0, null]);
  assert.match(hub.output(), /shutting down/);
});

test('the drain timeout ends a shutdown that waits too long; API calls still waiting get a 503', async (t) => {
  const track = tracker(t);
  const hub = await startHub({ config: { shutdown: { drainTimeoutMs: 300 }, namespaces: [{ name: '/' }] } });
  t.after(() => hub.stop('SIGKILL'));
  const silent = await sioConnect(track, hub.url, '/', { transports: ['websocket'] });
  const asked = once(silent, 'ask');
  const apiCall = api(hub.url, 'POST', '/api/v1/emit', { event: 'ask', ackTimeoutMs: 5000 }, { timeoutMs: 10000 });
  await asked;
  hub.child.kill('SIGINT');
  const res = await apiCall;
  assert.equal(res.status, 503);
  assert.equal(res.body.error, 'server shut down before every acknowledgement arrived');
  const { code } = await withTimeout(hub.exit, 5000, 'plugboard to exit');
  assert.equal(code, 0);
  assert.match(hub.output(), /drain timeout: 1 calls still in flight/);
});
