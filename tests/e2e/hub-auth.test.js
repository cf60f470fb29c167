'use strict';
// Hub namespaces: who may connect (none, static tokens, HS256 JWT) and which rooms a client
// may enter by itself with `subscribe` / leave with `unsubscribe`.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { sio, sioConnect } = require('./lib/clients');
const { once, emitAck, tracker } = require('./lib/util');
const { useHub, api } = require('./hub-harness');

const SECRET = 'jwt-secret-for-tests-0123456789';

const hub = useHub({
  config: {
    namespaces: [
      { name: '/', rooms: ['public:*'], maxRoomsPerSocket: 2 },
      { name: '/open', rooms: ['*'] },
      { name: '/tokens', auth: { type: 'token', tokens: ['alpha-token', 'beta-token'] }, rooms: ['ops'] },
      {
        name: '/app',
        auth: { type: 'jwt', secret: SECRET, issuer: 'tests', audience: 'plugboard' },
        rooms: ['user:{sub}', 'org:{org.id}:*'],
      },
    ],
  },
});

const b64 = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function jwt(claims, { secret = SECRET, alg = 'HS256' } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64({ alg, typ: 'JWT' })}.${b64({ iss: 'tests', aud: 'plugboard', iat: now, exp: now + 60, ...claims })}`;
  const signature = alg === 'none' ? '' : crypto.createHmac('sha256', secret).update(input).digest('base64url');
  return `${input}.${signature}`;
}

async function refusal(track, nsp, auth) {
  const socket = sio(track, hub.url, nsp, { auth, reconnection: false });
  const [err] = await once(socket, 'connect_error', undefined, { failOn: ['connect'] });
  return err.message;
}

test('subscribe enters rooms matching the namespace\'s patterns, and only those', async (t) => {
  const track = tracker(t);
  const s = await sioConnect(track, hub.url);
  assert.deepEqual(await emitAck(s, 'subscribe', ['public:news']), [{ ok: true }]);
  assert.deepEqual(await emitAck(s, 'subscribe', ['public:news']), [{ ok: true }], 'idempotent');
  assert.deepEqual(await emitAck(s, 'subscribe', ['private:news']),
    [{ ok: false, error: 'not allowed to subscribe to "private:news"' }]);
  assert.deepEqual(await emitAck(s, 'subscribe', ['public:']),
    [{ ok: false, error: 'not allowed to subscribe to "public:"' }], '* needs at least one character');
  assert.deepEqual(await emitAck(s, 'subscribe', [42]), [{ ok: false, error: 'room must be a string' }]);
  assert.deepEqual(await emitAck(s, 'subscribe', []), [{ ok: false, error: 'room must be a string' }]);
  assert.deepEqual(await emitAck(s, 'subscribe', ['']), [{ ok: false, error: 'room must not be empty' }]);
  assert.deepEqual(await emitAck(s, 'subscribe', [`public:${'x'.repeat(300)}`]),
    [{ ok: false, error: 'room longer than 200 characters' }]);
  assert.deepEqual(await emitAck(s, 'subscribe', ['public:two']), [{ ok: true }]);
  assert.deepEqual(await emitAck(s, 'subscribe', ['public:three']), [{ ok: false, error: 'too many rooms (at most 2)' }]);

  const res = await api(hub.url, 'GET', `/api/v1/sockets?room=${encodeURIComponent(s.id)}`);
  assert.deepEqual(res.body.sockets[0].rooms, [s.id, 'public:news', 'public:two'].sort());
});

test('unsubscribe leaves a room; a socket cannot leave its own', async (t) => {
  const track = tracker(t);
  const s = await sioConnect(track, hub.url);
  assert.deepEqual(await emitAck(s, 'subscribe', ['public:leave']), [{ ok: true }]);
  let res = await api(hub.url, 'POST', '/api/v1/emit', { rooms: ['public:leave'], event: 'data-changed' });
  assert.equal(res.body.recipients, 1);
  assert.deepEqual(await emitAck(s, 'unsubscribe', ['public:leave']), [{ ok: true }]);
  res = await api(hub.url, 'POST', '/api/v1/emit', { rooms: ['public:leave'], event: 'data-changed' });
  assert.equal(res.body.recipients, 0);
  assert.deepEqual(await emitAck(s, 'unsubscribe', [s.id]), [{ ok: false, error: 'a socket cannot leave its own room' }]);
  assert.deepEqual(await emitAck(s, 'unsubscribe', [{}]), [{ ok: false, error: 'room must be a string' }]);
});

test('another socket\'s own room is never granted, even by "*"', async (t) => {
  const track = tracker(t);
  const victim = await sioConnect(track, hub.url, '/open');
  const spy = await sioConnect(track, hub.url, '/open');
  assert.deepEqual(await emitAck(spy, 'subscribe', ['anything']), [{ ok: true }]);
  assert.deepEqual(await emitAck(spy, 'subscribe', [victim.id]), [{ ok: false, error: `room "${victim.id}" is reserved` }]);
});

test('static tokens: the right token connects, a missing or wrong one is refused', async (t) => {
  const track = tracker(t);
  assert.equal(await refusal(track, '/tokens', {}), 'unauthorized: missing token');
  assert.equal(await refusal(track, '/tokens', { token: 'alpha-token-x' }), 'unauthorized: invalid token');
  assert.equal(await refusal(track, '/tokens', { token: 42 }), 'unauthorized: missing token');
  const s = await sioConnect(track, hub.url, '/tokens', { auth: { token: 'beta-token' } });
  assert.deepEqual(await emitAck(s, 'subscribe', ['ops']), [{ ok: true }]);
});

test('JWT: claims land in socket.data and fill the room patterns', async (t) => {
  const track = tracker(t);
  const token = jwt({ sub: 'u42', org: { id: 7 }, role: 'editor' });
  const s = await sioConnect(track, hub.url, '/app', { auth: { token } });
  assert.deepEqual(await emitAck(s, 'subscribe', ['user:u42']), [{ ok: true }]);
  assert.deepEqual(await emitAck(s, 'subscribe', ['org:7:builds']), [{ ok: true }]);
  assert.deepEqual(await emitAck(s, 'subscribe', ['user:u43']), [{ ok: false, error: 'not allowed to subscribe to "user:u43"' }]);
  assert.deepEqual(await emitAck(s, 'subscribe', ['org:8:builds']), [{ ok: false, error: 'not allowed to subscribe to "org:8:builds"' }]);

  const res = await api(hub.url, 'GET', `/api/v1/sockets?namespace=%2Fapp&room=user%3Au42`);
  assert.equal(res.body.sockets.length, 1);
  const { data } = res.body.sockets[0];
  assert.equal(data.sub, 'u42');
  assert.deepEqual(data.org, { id: 7 });
  assert.equal(data.role, 'editor');
  assert.equal(data.iss, 'tests');

  const got = once(s, 'data-changed');
  await api(hub.url, 'POST', '/api/v1/emit', { namespace: '/app', rooms: ['user:u42'], event: 'data-changed', args: ['mine'] });
  assert.deepEqual(await got, ['mine']);
});

test('JWT: every bad token is refused with its reason', async (t) => {
  const track = tracker(t);
  const now = Math.floor(Date.now() / 1000);
  const good = jwt({ sub: 'u1' });
  const [head, body] = good.split('.');
  const cases = [
    [{}, 'unauthorized: missing token'],
    [{ token: 'not.a-token' }, 'unauthorized: malformed token'],
    [{ token: jwt({ sub: 'u1' }, { secret: 'another-secret-0123456789' }) }, 'unauthorized: invalid signature'],
    [{ token: `${head}.${b64({ sub: 'admin', iss: 'tests', aud: 'plugboard' })}.${good.split('.')[2]}` }, 'unauthorized: invalid signature'],
    [{ token: jwt({ sub: 'u1' }, { alg: 'none' }) }, 'unauthorized: unsupported algorithm (HS256 expected)'],
    [{ token: `${b64({ alg: 'HS512' })}.${body}.${good.split('.')[2]}` }, 'unauthorized: unsupported algorithm (HS256 expected)'],
    [{ token: jwt({ sub: 'u1', exp: now - 10 }) }, 'unauthorized: token expired'],
    [{ token: jwt({ sub: 'u1', nbf: now + 600 }) }, 'unauthorized: token not valid yet'],
    [{ token: jwt({ sub: 'u1', iss: 'someone-else' }) }, 'unauthorized: wrong issuer'],
    [{ token: jwt({ sub: 'u1', aud: ['other'] }) }, 'unauthorized: wrong audience'],
  ];
  for (const [auth, message] of cases)
    assert.equal(await refusal(track, '/app', auth), message, JSON.stringify(auth));
});

test('a namespace missing from the config refuses connections', async (t) => {
  const track = tracker(t);
  assert.equal(await refusal(track, '/unknown', {}), 'Invalid namespace');
});
