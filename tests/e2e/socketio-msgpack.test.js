'use strict';
// The msgpack parser: plugboard-testapp --parser msgpack against socket.io-client 4.8 built
// with socket.io-msgpack-parser 3.0.2. Every packet type crosses the wire, binary included.
const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const parser = require('socket.io-msgpack-parser');
const { useServer } = require('./lib/server');
const { once, tracker, emitAck, emitWithAck } = require('./lib/util');
const { sio, sioConnect } = require('./lib/clients');

const srv = useServer({ args: ['--parser', 'msgpack'] });

function mixedArgs() {
  return [
    1,
    2.5,
    'ünïcödé ✓',
    { a: Buffer.from([1, 2, 3]), nested: { list: [Buffer.alloc(0), { deep: Buffer.from('xyz') }], n: null } },
    [Buffer.from([255, 0, 0x1e]), 'str', [Buffer.from('inner')]],
    true,
    { _placeholder: true, num: 0 },
  ];
}

// socket.io-msgpack-parser hands binary back as Buffer in Node.
function normalise(value) {
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value);
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v)]));
  }
  return value;
}

const connect = (track, nsp, opts = {}) => sioConnect(track, srv.url, nsp, { parser, ...opts });

for (const transport of ['polling', 'websocket']) {
  describe(`msgpack parser over ${transport}`, () => {
    test('CONNECT with auth, then EVENT from the server', async (t) => {
      const track = tracker(t);
      const s = sio(track, srv.url, '/custom', { parser, transports: [transport], auth: { user: 'ann', n: 7 } });
      const [auth] = await once(s, 'auth', undefined, { failOn: ['connect_error'] });
      assert.deepEqual(auth, { user: 'ann', n: 7 });
      const me = await emitWithAck(s, 'whoami');
      assert.equal(me.nsp, '/custom');
      assert.equal(me.id, s.id);
      assert.equal(me.transport, transport);
    });

    test('EVENT and ACK carry binary anywhere in the arguments', async (t) => {
      const track = tracker(t);
      const s = await connect(track, '/', { transports: [transport] });
      const back = once(s, 'message-back');
      s.emit('message', ...mixedArgs());
      assert.deepEqual(normalise(await back), mixedArgs());
      assert.deepEqual(normalise(await emitAck(s, 'message-with-ack', mixedArgs())), mixedArgs());
      assert.deepEqual(await emitAck(s, 'message-with-ack', []), []);
    });

    test('the server asks with an ack and gets the answer', async (t) => {
      const track = tracker(t);
      const s = await connect(track, '/', { transports: [transport] });
      s.on('question', (payload, answer) => answer({ echoed: payload, bin: Buffer.from([9]) }));
      const reply = await emitWithAck(s, 'ask', 'why?');
      assert.equal(reply.ok, true);
      assert.deepEqual(normalise(reply.answer), { echoed: 'why?', bin: Buffer.from([9]) });
    });

    test('CONNECT_ERROR carries message and data; an unknown namespace is refused', async (t) => {
      const track = tracker(t);
      const refused = sio(track, srv.url, '/private', { parser, transports: [transport], reconnection: false });
      const [err] = await once(refused, 'connect_error');
      assert.equal(err.message, 'not authorized');
      assert.deepEqual(err.data, { code: 'E_AUTH', reason: 'auth.token must be "let-me-in"' });
      const allowed = await connect(track, '/private', { transports: [transport], auth: { token: 'let-me-in' } });
      assert.equal((await emitWithAck(allowed, 'whoami')).nsp, '/private');
      const unknown = sio(track, srv.url, '/nowhere', { parser, transports: [transport], reconnection: false });
      const [invalid] = await once(unknown, 'connect_error');
      assert.equal(invalid.message, 'Invalid namespace');
    });

    test('rooms and broadcasts reach the other clients', async (t) => {
      const track = tracker(t);
      const a = await connect(track, '/', { transports: [transport] });
      const b = await connect(track, '/', { transports: [transport] });
      const room = `msgpack-${transport}-${process.pid}`;
      assert.deepEqual(await emitWithAck(b, 'join', room), [b.id, room].sort());
      const got = once(b, 'room-event');
      assert.equal(await emitWithAck(a, 'room-emit', room, { bin: Buffer.from('hi') }), 'ok');
      const [event] = await got;
      assert.equal(event.from, a.id);
      assert.deepEqual(normalise(event.payload), { bin: Buffer.from('hi') });
    });

    test('DISCONNECT from the server ends the socket with Node\'s reason', async (t) => {
      const track = tracker(t);
      const s = await connect(track, '/', { transports: [transport] });
      const gone = once(s, 'disconnect');
      s.emit('disconnect-me');
      assert.deepEqual((await gone)[0], 'io server disconnect');
    });
  });
}

test('a client with the default parser is not served by a msgpack server', async (t) => {
  const track = tracker(t);
  const s = sio(track, srv.url, '/', { transports: ['websocket'], reconnection: false });
  // The text CONNECT is not a msgpack packet: the server closes the connection (Node: "parse
  // error") and the client never gets a CONNECT reply.
  const [reason] = await once(s.io, 'close');
  assert.equal(reason, 'transport close');
  assert.equal(s.connected, false);
  assert.equal(s.id, undefined);
});

test('the upgrade from polling to WebSocket keeps the msgpack session', async (t) => {
  const track = tracker(t);
  const s = await connect(track, '/', { transports: ['polling', 'websocket'] });
  if (s.io.engine.transport.name !== 'websocket') await once(s.io.engine, 'upgrade');
  const me = await emitWithAck(s, 'whoami');
  assert.equal(me.transport, 'websocket');
  assert.deepEqual(normalise(await emitAck(s, 'message-with-ack', [Buffer.from([1, 2])])), [Buffer.from([1, 2])]);
});
