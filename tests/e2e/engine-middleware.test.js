'use strict';
// Engine.IO middleware and header hooks through the shipped example
// (examples/httpmiddleware): helmet's headers and a signed session cookie on every Engine.IO
// request, an asynchronous API-key check that refuses with 401, the initial_headers cookie on
// the handshake only, the headers hook on every answer, and the session reaching the socket.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { useServer, appCommand } = require('./lib/server');
const { tracker, once, emitWithAck } = require('./lib/util');
const { sio, sioConnect } = require('./lib/clients');
const { request, pollingHandshake } = require('./lib/rawhttp');

const API_KEY = 'k-123';
const srv = useServer({
  command: appCommand('plugboard-example-httpmiddleware', 'PLUGBOARD_HTTPMIDDLEWARE_EXAMPLE'),
  args: ['--api-key', API_KEY, '--node-name', 'hub-7'],
});
const base = () => `${srv.url}/socket.io/?EIO=4&apiKey=${API_KEY}`;

const cookies = (res) => res.headers['set-cookie'] || [];
const sessionCookie = (res) => cookies(res).find((c) => c.startsWith('plugboard.sid='));
const cookiePair = (setCookie) => setCookie.split(';')[0];

function assertHelmet(res) {
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
  assert.equal(res.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
  assert.equal(res.headers['referrer-policy'], 'no-referrer');
  assert.match(res.headers['content-security-policy'], /^default-src 'self';/);
}

test('the handshake gets the middleware headers, the session cookie and the initial_headers cookie', async () => {
  const { response } = await pollingHandshake(base());
  assertHelmet(response);
  assert.equal(response.headers['cache-control'], 'no-store');
  assert.equal(response.headers['x-served-by'], 'hub-7');
  assert.ok(cookies(response).includes('plugboard.node=hub-7; Path=/; HttpOnly; SameSite=Lax'), cookies(response).join('\n'));
  assert.match(sessionCookie(response), /^plugboard\.sid=s%3A[\w-]+\.[\w-]+; Path=\/; Max-Age=86400; HttpOnly; SameSite=Lax$/);
});

test('later polls get the headers hook and the middleware, not the initial headers; a valid session cookie is kept', async () => {
  const { sid, response } = await pollingHandshake(base());
  const cookie = cookiePair(sessionCookie(response));
  const post = await request(`${base()}&transport=polling&sid=${sid}`, { method: 'POST', body: '40', headers: { cookie } });
  assert.equal(post.status, 200);
  assert.equal(post.body.toString(), 'ok');
  assert.equal(post.headers['x-served-by'], 'hub-7');
  assertHelmet(post);
  assert.deepEqual(cookies(post), [], 'no new session, no initial_headers cookie');
  const poll = await request(`${base()}&transport=polling&sid=${sid}`, { headers: { cookie } });
  assert.equal(poll.status, 200);
  assert.match(poll.body.toString(), /^40\{"sid":/, 'the CONNECT answer');
  assertHelmet(poll);
  assert.equal(poll.headers['x-served-by'], 'hub-7');
  assert.deepEqual(cookies(poll), []);
  assertHelmet(post);
});

test('a forged session cookie is replaced by a new session', async () => {
  const { response } = await pollingHandshake(base());
  const [name, value] = cookiePair(sessionCookie(response)).split('=');
  const forged = `${name}=${value.slice(0, -2)}${value.endsWith('AA') ? 'BB' : 'AA'}`;
  const again = await pollingHandshake(base(), { cookie: forged });
  const fresh = sessionCookie(again.response);
  assert.ok(fresh, 'a new Set-Cookie');
  assert.notEqual(cookiePair(fresh), forged);
});

test('the asynchronous middleware refuses a request without the key: 401 with its body, the headers and CORS', async () => {
  const res = await request(`${srv.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: 'https://app.example' } });
  assert.equal(res.status, 401);
  assert.deepEqual(JSON.parse(res.body), { code: 401, message: 'Unauthorized' });
  assertHelmet(res);
  assert.ok(res.headers['access-control-allow-origin'], 'CORS on the refusal');
  const upgrade = await request(`${srv.url}/socket.io/?EIO=4&transport=websocket`, {
    headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' },
  });
  assert.equal(upgrade.status, 401, 'the upgrade request is refused by the middleware too');
  assert.deepEqual(JSON.parse(upgrade.body), { code: 401, message: 'Unauthorized' });
});

for (const transports of [['polling'], ['websocket'], ['polling', 'websocket']]) {
  test(`socket.io-client over ${transports.join('+')}: refused without the key, connected with it`, async (t) => {
    const track = tracker(t);
    const refused = sio(track, srv.url, '/', { transports, reconnection: false });
    const [error] = await once(refused, 'connect_error');
    assert.ok(error instanceof Error);
    const s = await sioConnect(track, srv.url, '/', { transports, query: { apiKey: API_KEY } });
    assert.ok(s.connected);
  });

  test(`the session reaches the socket over ${transports.join('+')} and outlives the connection`, async (t) => {
    const track = tracker(t);
    const { response } = await pollingHandshake(base());
    const cookie = cookiePair(sessionCookie(response));
    const id = decodeURIComponent(cookie.split('=')[1]).slice(2).split('.')[0];
    const opts = { transports, query: { apiKey: API_KEY }, extraHeaders: { cookie } };
    const first = await sioConnect(track, srv.url, '/', opts);
    assert.deepEqual(await emitWithAck(first, 'session'), { id, isNew: false });
    assert.equal(await emitWithAck(first, 'visit'), 1);
    first.disconnect();
    const second = await sioConnect(track, srv.url, '/', opts);
    assert.equal(await emitWithAck(second, 'visit'), 2, 'the same session on a new connection');
    const stranger = await sioConnect(track, srv.url, '/', { transports, query: { apiKey: API_KEY } });
    const theirs = await emitWithAck(stranger, 'session');
    assert.equal(theirs.isNew, true);
    assert.notEqual(theirs.id, id);
  });
}

test('the WebSocket 101 carries the middleware headers, the hooks\' headers and the session cookie (native engine)', async () => {
  const http = require('node:http');
  const res = await new Promise((resolve, reject) => {
    const req = http.request(`${srv.url}/socket.io/?EIO=4&transport=websocket&apiKey=${API_KEY}`, {
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' },
    });
    req.on('upgrade', (response, socket) => { socket.destroy(); resolve(response); });
    req.on('response', (response) => reject(new Error(`no upgrade: HTTP ${response.statusCode}`)));
    req.on('error', reject);
    req.end();
  });
  assert.equal(res.statusCode, 101);
  assert.equal(res.headers['sec-websocket-accept'], 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  assertHelmet(res);
  assert.equal(res.headers['x-served-by'], 'hub-7');
  assert.ok(cookies(res).includes('plugboard.node=hub-7; Path=/; HttpOnly; SameSite=Lax'), 'initial_headers on a WebSocket handshake');
  assert.ok(sessionCookie(res), 'the session cookie');
});
