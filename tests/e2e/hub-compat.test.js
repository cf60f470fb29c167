'use strict';
// The hub's compatibility settings from its config: "parser": "msgpack" serves clients built
// with socket.io-msgpack-parser, "allowEIO3" serves socket.io-client 2.x, and the HTTP API
// reaches both kinds of subscriber.
const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const parser = require('socket.io-msgpack-parser');
const ioV2 = require('socket.io-client-v2');
const { sioConnect } = require('./lib/clients');
const { once, emitAck, tracker, withTimeout } = require('./lib/util');
const { useHub, api } = require('./hub-harness');

describe('"parser": "msgpack"', () => {
  const hub = useHub({ config: { parser: 'msgpack' } });

  test('a msgpack client subscribes and gets an event posted to the API', async (t) => {
    const track = tracker(t);
    const socket = await sioConnect(track, hub.url, '/', { parser });
    assert.deepEqual(await emitAck(socket, 'subscribe', ['public:m']), [{ ok: true }]);
    const got = once(socket, 'note');
    const res = await api(hub.url, 'POST', '/api/v1/emit', { rooms: ['public:m'], event: 'note', args: [{ z: 1, a: 2 }] });
    assert.deepEqual(res.body, { recipients: 1 });
    assert.deepEqual(await got, [{ z: 1, a: 2 }]);
  });
});

describe('"allowEIO3": true', () => {
  const hub = useHub({ config: { allowEIO3: true } });

  for (const transports of [['polling'], ['websocket']]) {
    test(`a socket.io-client 2.5 subscriber over ${transports} gets an event posted to the API`, async (t) => {
      const socket = ioV2(hub.url, { forceNew: true, reconnection: false, transports });
      t.after(() => socket.close());
      await once(socket, 'connect', undefined, { failOn: ['error', 'connect_error'] });
      const ack = await withTimeout(new Promise((resolve) => socket.emit('subscribe', 'public:v2', resolve)), 5000, 'subscribe');
      assert.deepEqual(ack, { ok: true });
      const got = once(socket, 'note');
      const res = await api(hub.url, 'POST', '/api/v1/emit', { rooms: ['public:v2'], event: 'note', args: ['hi', 2] });
      assert.deepEqual(res.body, { recipients: 1 });
      assert.deepEqual(await got, ['hi', 2]);
    });
  }
});

describe('without "allowEIO3"', () => {
  const hub = useHub({});

  test('a socket.io-client 2.5 client is refused', async (t) => {
    const socket = ioV2(hub.url, { forceNew: true, reconnection: false, transports: ['polling'] });
    t.after(() => socket.close());
    const [error] = await once(socket, 'connect_error');
    assert.ok(error instanceof Error);
  });
});

describe('"wsEngine": "native" with "perMessageDeflate"', () => {
  const WebSocket = require('ws');
  const hub = useHub({ config: { wsEngine: 'native', perMessageDeflate: { threshold: 512 } } });

  test('a WebSocket client negotiates permessage-deflate and gets a large event compressed', async (t) => {
    const ws = new WebSocket(`${hub.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: true });
    t.after(() => ws.terminate());
    const messages = [];
    ws.on('message', (data) => messages.push(data.toString()));
    await once(ws, 'open', undefined, { failOn: ['error'] });
    assert.equal(ws.extensions, 'permessage-deflate');
    const next = async () => { while (!messages.length) await once(ws, 'message'); return messages.shift(); };
    assert.match(await next(), /^0\{/);
    ws.send('40');
    assert.match(await next(), /^40\{/);
    ws.send('421["subscribe","public:z"]');
    assert.equal(await next(), '431[{"ok":true}]');
    const before = ws._socket.bytesRead;
    const big = 'q'.repeat(10000);
    const res = await api(hub.url, 'POST', '/api/v1/emit', { rooms: ['public:z'], event: 'note', args: [big] });
    assert.deepEqual(res.body, { recipients: 1 });
    assert.equal(await next(), `42${JSON.stringify(['note', big])}`);
    assert.ok(ws._socket.bytesRead - before < 500, `${ws._socket.bytesRead - before} bytes on the wire`);
  });
});
