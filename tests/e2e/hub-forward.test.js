'use strict';
// Event forwarding: client events POSTed to a backend, whose JSON reply is the ack;
// timeouts, HTTP errors, bad replies, an unreachable or busy backend all reach the client
// as {"ok":false,"error":...}.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const crypto = require('node:crypto');
const { EventEmitter } = require('node:events');
const { sioConnect } = require('./lib/clients');
const { emitAck, once, tracker } = require('./lib/util');
const { startHub } = require('./hub-harness');

const SECRET = 'forward-secret-0123456789';
const backend = { requests: [], held: [], events: new EventEmitter(), server: null, port: 0, closedPort: 0 };
let hub;

function token(claims) {
  const b64 = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${input}.${crypto.createHmac('sha256', SECRET).update(input).digest('base64url')}`;
}

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

before(async () => {
  backend.server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const request = { headers: req.headers, url: req.url, body: JSON.parse(body) };
      backend.requests.push(request);
      const [arg] = request.body.args;
      switch (request.body.event) {
        case 'chat:send':
          res.setHeader('Content-Type', 'application/json');
          res.end(JSON.stringify({ ok: true, stored: arg, by: request.body.data.sub }));
          break;
        case 'count':
          res.end('42');
          break;
        case 'fail':
          res.statusCode = 500;
          res.end('{"error":"boom"}');
          break;
        case 'garbage':
          res.end('this is not JSON');
          break;
        case 'slow':
          backend.held.push(res); // answered (late) by the test, or when it ends
          backend.events.emit('held', res);
          break;
        default:
          res.statusCode = 404;
          res.end();
      }
    });
  });
  backend.port = await listen(backend.server);
  const closed = http.createServer();
  backend.closedPort = await listen(closed);
  await new Promise((resolve) => closed.close(resolve));

  const url = `http://127.0.0.1:${backend.port}/socket-events`;
  hub = await startHub({
    config: {
      namespaces: [
        {
          name: '/',
          auth: { type: 'jwt', secret: SECRET },
          forward: {
            url, events: ['chat:send', 'count', 'fail', 'garbage', 'slow'], timeoutMs: 400,
            headers: { Authorization: 'Bearer backend-secret' },
          },
        },
        { name: '/busy', forward: { url, events: ['slow'], maxConcurrent: 1, timeoutMs: 2000 } },
        { name: '/down', forward: { url: `http://127.0.0.1:${backend.closedPort}/x`, events: ['chat:send'] } },
      ],
    },
  });
});

after(async () => {
  for (const res of backend.held) res.end('{}');
  if (hub) await hub.stop();
  backend.server.closeAllConnections();
  await new Promise((resolve) => backend.server.close(resolve));
});

test('a forwarded event reaches the backend with socket id and data; its reply is the ack', async (t) => {
  const track = tracker(t);
  const s = await sioConnect(track, hub.url, '/', { auth: { token: token({ sub: 'alice' }) } });
  const before = backend.requests.length;
  assert.deepEqual(await emitAck(s, 'chat:send', [{ text: 'hi' }]), [{ ok: true, stored: { text: 'hi' }, by: 'alice' }]);
  const request = backend.requests[before];
  assert.equal(request.url, '/socket-events');
  assert.equal(request.headers.authorization, 'Bearer backend-secret');
  assert.match(request.headers['content-type'], /application\/json/);
  assert.deepEqual(request.body, {
    namespace: '/', socketId: s.id, event: 'chat:send', args: [{ text: 'hi' }], data: { sub: 'alice' },
  });
  assert.deepEqual(await emitAck(s, 'count', []), [42], 'a bare JSON value is a reply too');
  // Keys keep their order both ways: the client's to the backend, the backend's to the client.
  const ordered = backend.requests.length;
  const [reply] = await emitAck(s, 'chat:send', [{ z: 1, a: 2 }]);
  assert.deepEqual(Object.keys(backend.requests[ordered].body), ['namespace', 'socketId', 'event', 'args', 'data']);
  assert.deepEqual(Object.keys(backend.requests[ordered].body.args[0]), ['z', 'a']);
  assert.deepEqual(Object.keys(reply), ['ok', 'stored', 'by']);
  assert.deepEqual(Object.keys(reply.stored), ['z', 'a']);
});

test('backend failures reach the client as an ack with an error', async (t) => {
  const track = tracker(t);
  const s = await sioConnect(track, hub.url, '/', { auth: { token: token({ sub: 'bob' }) } });
  assert.deepEqual(await emitAck(s, 'fail', []), [{ ok: false, error: 'backend answered HTTP 500' }]);
  assert.deepEqual(await emitAck(s, 'garbage', []), [{ ok: false, error: 'backend reply is not JSON' }]);
  assert.deepEqual(await emitAck(s, 'slow', []), [{ ok: false, error: 'backend did not answer within 400 ms' }]);

  const down = await sioConnect(track, hub.url, '/down');
  const [answer] = await emitAck(down, 'chat:send', ['x']);
  assert.equal(answer.ok, false);
  assert.match(answer.error, /^backend unreachable: .*refused/i);
});

test('more events in flight than maxConcurrent are refused at once', async (t) => {
  const track = tracker(t);
  const s = await sioConnect(track, hub.url, '/busy');
  const held = once(backend.events, 'held', undefined, { what: 'the backend to get the first event' });
  const first = emitAck(s, 'slow', [], 5000);
  const [response] = await held;
  assert.deepEqual(await emitAck(s, 'slow', []), [{ ok: false, error: 'backend busy: 1 events already waiting for it' }]);
  response.end('"done"');
  assert.deepEqual(await first, ['done']);
});

test('events that are not listed are not forwarded', async (t) => {
  const track = tracker(t);
  const s = await sioConnect(track, hub.url, '/', { auth: { token: token({ sub: 'carol' }) } });
  const before = backend.requests.length;
  s.emit('not-listed', 1);
  // Events are handled in order: once this ack is back, the one before it was dealt with.
  await emitAck(s, 'count', []);
  assert.equal(backend.requests.length, before + 1);
  assert.equal(backend.requests.at(-1).body.event, 'count');
  assert.equal(s.connected, true);
});
