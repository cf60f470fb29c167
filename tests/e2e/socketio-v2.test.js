'use strict';
// allowEIO3: socket.io-client 2.5 (Engine.IO v3, Socket.IO v2) against plugboard-testapp
// --allow-eio3, over polling, WebSocket and with upgrade: the implicit "/" connection,
// events and acks both ways, binary, namespaces with their query as auth, connect errors in
// the v2 shape, the client-driven heartbeat; raw v3 payloads (text and binary); and the
// refusal of v3 clients by a server without the option, as Node.
const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const ioV2 = require('socket.io-client-v2');
const { useServer } = require('./lib/server');
const { once, tracker, withTimeout } = require('./lib/util');
const { request } = require('./lib/rawhttp');

function v2(track, url, opts = {}) {
  const socket = ioV2(url, { forceNew: true, reconnection: false, ...opts });
  track({ close: () => socket.close() });
  return socket;
}

async function v2Connect(track, url, opts) {
  const socket = v2(track, url, opts);
  await once(socket, 'connect', undefined, { failOn: ['error', 'connect_error'], what: 'v2 connect' });
  return socket;
}

function v2Ack(socket, event, ...args) {
  return withTimeout(new Promise((resolve) => socket.emit(event, ...args, (...res) => resolve(res))), 5000, `ack of ${event}`);
}

describe('socket.io-client 2.5 with allowEIO3', () => {
  const srv = useServer({ args: ['--allow-eio3'] });

  for (const transports of [['polling'], ['websocket'], ['polling', 'websocket']]) {
    const label = transports.join('+');

    test(`${label}: connects to "/" without a CONNECT, with the engine id as its id`, async (t) => {
      const track = tracker(t);
      const socket = v2(track, srv.url, { transports });
      const [[auth]] = await Promise.all([once(socket, 'auth'), once(socket, 'connect')]);
      assert.deepEqual(auth, {}, 'no auth in v2');
      const [info] = await v2Ack(socket, 'whoami');
      assert.equal(info.nsp, '/');
      assert.equal(info.engineId, socket.io.engine.id);
      assert.equal(socket.id, socket.io.engine.id, 'v2 clients name themselves after the engine');
      assert.equal(info.query.EIO, '3');
    });

    test(`${label}: events and acks both ways, binary included`, async (t) => {
      const track = tracker(t);
      const socket = await v2Connect(track, srv.url, { transports });
      const blob = Buffer.from([0, 1, 2, 254, 255]);
      assert.deepEqual(await v2Ack(socket, 'message-with-ack', 1, 'two', { three: [blob] }),
        [1, 'two', { three: [blob] }]);
      const back = once(socket, 'message-back');
      socket.emit('message', 'x', blob);
      assert.deepEqual(await back, ['x', blob]);
      socket.on('question', (q, answer) => answer(`re: ${q}`));
      assert.deepEqual(await v2Ack(socket, 'ask', 'why?'), [{ ok: true, answer: 're: why?' }]);
    });

    test(`${label}: a namespace takes its query as the auth; refusals arrive as v2 errors`, async (t) => {
      const track = tracker(t);
      const ok = await v2Connect(track, `${srv.url}/private`, { transports, query: { token: 'let-me-in' } });
      const [info] = await v2Ack(ok, 'whoami');
      assert.equal(info.nsp, '/private');
      assert.deepEqual(info.auth, { token: 'let-me-in' });
      const refused = v2(track, `${srv.url}/private`, { transports, query: { token: 'wrong' } });
      const [error] = await once(refused, 'error');
      assert.deepEqual(error, { code: 'E_AUTH', reason: 'auth.token must be "let-me-in"' }, 'the bare data, as Node sends v2 clients');
      const unknown = v2(track, `${srv.url}/nowhere`, { transports });
      const [invalid] = await once(unknown, 'error');
      assert.deepEqual(invalid, { message: 'Invalid namespace' });
    });

    test(`${label}: the client pings, the server answers, the session lives on; server disconnects reach the client`, async (t) => {
      const track = tracker(t);
      const socket = await v2Connect(track, srv.url, { transports });
      // pingInterval 300 + pingTimeout 200: three answered pings outlive the server's timeout.
      for (let i = 0; i < 3; ++i) await once(socket.io, 'pong', 3000);
      assert.equal(socket.connected, true);
      const gone = once(socket, 'disconnect');
      socket.emit('disconnect-me');
      assert.deepEqual(await gone, ['io server disconnect']);
    });
  }

  test('raw v3 polling: text payloads with UTF-16 lengths, binary payloads without b64', async () => {
    const base = `${srv.url}/socket.io/?EIO=3&transport=polling`;
    const open = await request(base);
    assert.equal(open.status, 200);
    const body = open.body.toString();
    const match = /^(\d+):0(\{.*\})$/.exec(body);
    assert.ok(match, body);
    assert.equal(Number(match[1]), match[2].length + 1);
    const { sid } = JSON.parse(match[2]);
    const url = `${base}&sid=${sid}`;
    assert.equal((await request(url)).body.toString(), '2:4013:42["auth",{}]', 'the implicit CONNECT of "/" (no sid), then the app\'s first event');

    // A text event with a character outside the BMP: its length counts two for it.
    const event = '42["message","é😀"]';
    const post = await request(url, { method: 'POST', body: `${event.length}:${event}`, headers: { 'content-type': 'text/plain;charset=UTF-8' } });
    assert.equal(post.status, 200);
    const echoed = await request(url);
    const expected = '42["message-back","é😀"]';
    assert.equal(echoed.body.toString(), `${expected.length}:${expected}`);

    // The binary form: a BINARY_EVENT and its attachment, answered in the binary form.
    const text = Buffer.from('451-["message",{"_placeholder":true,"num":0}]');
    const digits = (n) => Buffer.from(String(n).split('').map(Number));
    const payload = Buffer.concat([
      Buffer.from([0]), digits(text.length), Buffer.from([255]), text,
      Buffer.from([1]), digits(4), Buffer.from([255]), Buffer.from([4, 1, 2, 3]),
    ]);
    const binaryPost = await request(url, { method: 'POST', body: payload, headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(binaryPost.status, 200);
    const answer = await request(url);
    assert.equal(answer.headers['content-type'], 'application/octet-stream');
    const backText = Buffer.from('451-["message-back",{"_placeholder":true,"num":0}]');
    assert.deepEqual(answer.body, Buffer.concat([
      Buffer.from([0]), digits(backText.length), Buffer.from([255]), backText,
      Buffer.from([1]), digits(4), Buffer.from([255]), Buffer.from([4, 1, 2, 3]),
    ]));

    const bad = await request(url, { method: 'POST', body: '9:42', headers: { 'content-type': 'text/plain' } });
    assert.equal(bad.status, 400, 'a length past the end is a malformed payload');
  });
});

describe('a server without allowEIO3', () => {
  const srv = useServer();

  test('refuses Engine.IO v3 handshakes as Node does', async (t) => {
    const res = await request(`${srv.url}/socket.io/?EIO=3&transport=polling`);
    assert.equal(res.status, 400);
    assert.deepEqual(JSON.parse(res.body), { code: 5, message: 'Unsupported protocol version' });
    const track = tracker(t);
    const socket = v2(track, srv.url, { transports: ['polling'] });
    const [error] = await once(socket, 'connect_error');
    assert.ok(error instanceof Error);
  });
});
