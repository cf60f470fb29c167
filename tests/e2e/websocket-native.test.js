'use strict';
// The native WebSocket engine (PLUGBOARD_WS_ENGINE=native): permessage-deflate negotiated with
// the `ws` client and socket.io-client, messages compressed both ways, compress(false), and
// bad input: invalid UTF-8, oversized messages, unmasked frames, bad handshakes.
process.env.PLUGBOARD_WS_ENGINE = 'native';
const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const WebSocket = require('ws');
const { useServer, appCommand } = require('./lib/server');
const { once, tracker, emitAck } = require('./lib/util');
const { sioConnect } = require('./lib/clients');
const { request } = require('./lib/rawhttp');

function openWs(t, url, options = {}) {
  const ws = new WebSocket(url, options);
  t.after(() => ws.terminate());
  const messages = [];
  const waiters = [];
  ws.on('message', (data, isBinary) => {
    const m = isBinary ? data : data.toString();
    if (typeof m === 'string' && m.startsWith('42["auth",')) return; // the test app's greeting
    const w = waiters.shift();
    if (w) w(m); else messages.push(m);
  });
  const next = () => (messages.length ? Promise.resolve(messages.shift())
    : new Promise((resolve) => waiters.push(resolve)));
  return { ws, next, opened: once(ws, 'open', undefined, { failOn: ['error'] }) };
}

// A Socket.IO session over a raw `ws` socket: open, CONNECT, and its id.
async function sioOverWs(t, base, options) {
  const c = openWs(t, `${base}/socket.io/?EIO=4&transport=websocket`, options);
  await c.opened;
  assert.match(await c.next(), /^0\{/);
  c.ws.send('40');
  assert.match(await c.next(), /^40\{"sid":/);
  return c;
}

const wireBytes = (ws) => ws._socket.bytesRead;

describe('permessage-deflate', () => {
  const srv = useServer({ args: ['--per-message-deflate'] });
  const base = () => srv.url.replace('http', 'ws');

  test('negotiated with ws: big messages travel compressed both ways and arrive intact', async (t) => {
    const c = await sioOverWs(t, base(), { perMessageDeflate: true });
    assert.equal(c.ws.extensions, 'permessage-deflate');
    const big = 'x'.repeat(20000);
    const before = wireBytes(c.ws);
    c.ws.send(`42${JSON.stringify(['message', big])}`);
    assert.equal(await c.next(), `42${JSON.stringify(['message-back', big])}`);
    assert.ok(wireBytes(c.ws) - before < 1000, `received ${wireBytes(c.ws) - before} bytes on the wire for 20 kB`);
  });

  test('small messages and clients that do not offer the extension go uncompressed', async (t) => {
    const plain = await sioOverWs(t, base(), { perMessageDeflate: false });
    assert.equal(plain.ws.extensions, '');
    plain.ws.send('42["message","hi"]');
    assert.equal(await plain.next(), '42["message-back","hi"]');
    const before = wireBytes(plain.ws);
    plain.ws.send(`42${JSON.stringify(['message', 'y'.repeat(5000)])}`);
    await plain.next();
    assert.ok(wireBytes(plain.ws) - before > 5000);
  });

  test('socket.io-client (which offers it) exchanges events, acks and binary', async (t) => {
    const track = tracker(t);
    const s = await sioConnect(track, srv.url, '/', { transports: ['websocket'] });
    const blob = Buffer.alloc(50000, 7);
    assert.deepEqual(await emitAck(s, 'message-with-ack', ['z'.repeat(3000), blob]), ['z'.repeat(3000), blob]);
  });
});

describe('compress(false) over permessage-deflate', () => {
  const srv = useServer({
    command: appCommand('plugboard-featureapp', 'PLUGBOARD_FEATUREAPP'), args: ['--per-message-deflate'],
  });

  test('a packet sent with compress(false) leaves uncompressed, the same packet with compress(true) compressed', async (t) => {
    const c = await sioOverWs(t, srv.url.replace('http', 'ws'), { perMessageDeflate: true });
    for (const [compress, small] of [[true, true], [false, false]]) {
      const before = wireBytes(c.ws);
      c.ws.send(`42${JSON.stringify(['emit-big', 8000, compress])}`);
      const got = await c.next();
      assert.ok(got.startsWith('42["big","xxx'));
      const bytes = wireBytes(c.ws) - before;
      assert.equal(bytes < 1000, small, `compress(${compress}): ${bytes} bytes on the wire`);
    }
  });
});

describe('bad input on the native engine', () => {
  const srv = useServer();
  const base = () => srv.url.replace('http', 'ws');

  test('invalid UTF-8 in a text message closes with 1007', async (t) => {
    const c = await sioOverWs(t, base());
    const closed = once(c.ws, 'close');
    c.ws.send(Buffer.from([0x34, 0xc3, 0x28]), { binary: false });
    const [code] = await closed;
    assert.equal(code, 1007);
  });

  test('a message over maxHttpBufferSize closes with 1009', async (t) => {
    const c = await sioOverWs(t, base());
    const closed = once(c.ws, 'close');
    c.ws.send(`4${'x'.repeat(1000001)}`);
    const [code] = await closed;
    assert.equal(code, 1009);
  });

  test('an unmasked client frame closes with 1002', async () => {
    const socket = net.connect(srv.port, '127.0.0.1');
    const received = [];
    socket.on('data', (d) => received.push(d));
    await once(socket, 'connect');
    socket.write('GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n'
      + 'Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
    socket.write(Buffer.from([0x81, 0x02, 0x34, 0x78])); // "4x", not masked
    await once(socket, 'close');
    const all = Buffer.concat(received);
    assert.match(all.toString('latin1'), /^HTTP\/1\.1 101 /);
    const closeFrame = all.subarray(all.lastIndexOf(Buffer.from([0x88])));
    assert.equal(closeFrame.readUInt16BE(2), 1002);
  });

  test('a handshake with a bad key or version is refused with 400', async () => {
    const upgrade = (headers) => request(`${srv.url}/socket.io/?EIO=4&transport=websocket`, {
      headers: { connection: 'Upgrade', upgrade: 'websocket', ...headers },
    });
    const badVersion = await upgrade({ 'sec-websocket-version': '12', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' });
    assert.equal(badVersion.status, 400);
    assert.equal(badVersion.headers['sec-websocket-version'], '13, 8');
    const badKey = await upgrade({ 'sec-websocket-version': '13', 'sec-websocket-key': 'short' });
    assert.equal(badKey.status, 400);
  });

  test('a ping is answered with a pong, and a clean close gets a close back', async (t) => {
    const c = await sioOverWs(t, base());
    const pong = once(c.ws, 'pong');
    c.ws.ping('are you there');
    const [data] = await pong;
    assert.equal(data.toString(), 'are you there');
    const closed = once(c.ws, 'close');
    c.ws.close(1000, 'bye');
    const [code] = await closed;
    assert.equal(code, 1000);
  });
});
