'use strict';
// The hub's HTTP API for backends: emit (with and without acks), sockets, join, leave,
// disconnect, and every refusal (4xx with a JSON error, nothing done).
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { sioConnect } = require('./lib/clients');
const { once, record, emitAck, tracker } = require('./lib/util');
const { useHub, startHub, api, API_KEY } = require('./hub-harness');

const hub = useHub({
  config: {
    api: { maxBodyBytes: 4096, maxAckTimeoutMs: 5000 },
    namespaces: [
      { name: '/', rooms: ['public:*'] },
      { name: '/admin', auth: { type: 'token', tokens: ['admin-token'] }, rooms: [] },
    ],
  },
});

async function subscriber(track, room, nsp = '/', opts = {}) {
  const socket = await sioConnect(track, hub.url, nsp, opts);
  if (room) assert.deepEqual(await emitAck(socket, 'subscribe', [room]), [{ ok: true }]);
  return socket;
}

test('emit reaches the room\'s members only, and reports the recipients', async (t) => {
  const track = tracker(t);
  const a = await subscriber(track, 'public:news');
  const b = await subscriber(track, 'public:news');
  const other = await subscriber(track, 'public:other');
  const strays = record(other, 'data-changed');
  const gotA = once(a, 'data-changed');
  const gotB = once(b, 'data-changed');
  const res = await api(hub.url, 'POST', '/api/v1/emit', {
    namespace: '/', rooms: ['public:news'], event: 'data-changed', args: [{ id: 7 }, 'x'],
  });
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { recipients: 2 });
  assert.deepEqual(await gotA, [{ id: 7 }, 'x']);
  assert.deepEqual(await gotB, [{ id: 7 }, 'x']);
  // A marker after the emit proves `other` had its chance to receive it.
  const marker = once(other, 'marker');
  await api(hub.url, 'POST', '/api/v1/emit', { rooms: ['public:other'], event: 'marker' });
  await marker;
  assert.deepEqual(strays.stop(), []);
});

test('emitted objects keep the key order the backend wrote', async (t) => {
  const track = tracker(t);
  const a = await subscriber(track, 'public:order');
  const got = once(a, 'ordered');
  const res = await api(hub.url, 'POST', '/api/v1/emit', {
    rooms: ['public:order'], event: 'ordered', args: [{ z: 1, a: 2, m: { y: 1, b: 2 } }],
  });
  assert.equal(res.status, 200);
  const [value] = await got;
  assert.deepEqual(Object.keys(value), ['z', 'a', 'm']);
  assert.deepEqual(Object.keys(value.m), ['y', 'b']);
});

test('except leaves out members of the excluded rooms', async (t) => {
  const track = tracker(t);
  const a = await subscriber(track, 'public:x');
  const b = await subscriber(track, 'public:x');
  const got = once(a, 'upload-progress');
  const res = await api(hub.url, 'POST', '/api/v1/emit', {
    rooms: ['public:x'], except: [b.id], event: 'upload-progress', args: [{ percent: 10 }],
  });
  assert.deepEqual(res.body, { recipients: 1 });
  assert.deepEqual(await got, [{ percent: 10 }]);
});

test('emit with ackTimeoutMs returns every ack with its socket id', async (t) => {
  const track = tracker(t);
  const a = await subscriber(track, 'public:acks');
  const b = await subscriber(track, 'public:acks');
  a.on('ask', (n, ack) => ack({ from: 'a', n }));
  b.on('ask', (n, ack) => ack({ from: 'b', n }));
  const res = await api(hub.url, 'POST', '/api/v1/emit', {
    rooms: ['public:acks'], event: 'ask', args: [5], ackTimeoutMs: 2000,
  });
  assert.equal(res.status, 200);
  assert.equal(res.body.recipients, 2);
  assert.equal(res.body.timedOut, false);
  const acks = [...res.body.acks].sort((x, y) => x.args[0].from.localeCompare(y.args[0].from));
  assert.deepEqual(acks, [
    { socketId: a.id, args: [{ from: 'a', n: 5 }] },
    { socketId: b.id, args: [{ from: 'b', n: 5 }] },
  ]);
});

test('emit with acks reports a timeout with the acks that did arrive', async (t) => {
  const track = tracker(t);
  const a = await subscriber(track, 'public:slow');
  const silent = await subscriber(track, 'public:slow');
  a.on('ask', (ack) => ack('yes'));
  const asked = once(silent, 'ask');
  const res = await api(hub.url, 'POST', '/api/v1/emit', { rooms: ['public:slow'], event: 'ask', ackTimeoutMs: 300 });
  await asked;
  assert.equal(res.status, 200);
  assert.equal(res.body.timedOut, true);
  assert.deepEqual(res.body.acks, [{ socketId: a.id, args: ['yes'] }]);
});

test('sockets lists a room\'s sockets with their rooms and data', async (t) => {
  const track = tracker(t);
  const a = await subscriber(track, 'public:list');
  await subscriber(track, 'public:elsewhere');
  const res = await api(hub.url, 'GET', '/api/v1/sockets?namespace=%2F&room=public%3Alist');
  assert.equal(res.status, 200);
  assert.equal(res.body.sockets.length, 1);
  const [s] = res.body.sockets;
  assert.equal(s.id, a.id);
  assert.equal(s.namespace, '/');
  assert.deepEqual(s.rooms, [a.id, 'public:list'].sort());
  assert.deepEqual(s.data, {});
  assert.equal(s.address, '127.0.0.1');
  assert.ok(['polling', 'websocket'].includes(s.transport));
});

test('join and leave move selected sockets between rooms', async (t) => {
  const track = tracker(t);
  const a = await subscriber(track);
  const b = await subscriber(track);
  let res = await api(hub.url, 'POST', '/api/v1/join', { rooms: [a.id], join: ['vip', 'staff'] });
  assert.deepEqual([res.status, res.body], [200, { sockets: 1 }]);
  const got = once(a, 'data-changed');
  res = await api(hub.url, 'POST', '/api/v1/emit', { rooms: ['vip'], event: 'data-changed', args: [1] });
  assert.deepEqual(res.body, { recipients: 1 });
  assert.deepEqual(await got, [1]);

  res = await api(hub.url, 'POST', '/api/v1/leave', { rooms: ['vip'], leave: ['vip'] });
  assert.deepEqual([res.status, res.body], [200, { sockets: 1 }]);
  res = await api(hub.url, 'GET', `/api/v1/sockets?room=${encodeURIComponent(a.id)}`);
  assert.deepEqual(res.body.sockets[0].rooms, [a.id, 'staff'].sort());
  res = await api(hub.url, 'GET', `/api/v1/sockets?room=${encodeURIComponent(b.id)}`);
  assert.deepEqual(res.body.sockets[0].rooms, [b.id]);
});

test('disconnect leaves the namespace, or with close ends the whole connection', async (t) => {
  const track = tracker(t);
  const main = await subscriber(track, 'public:bye');
  const admin = main.io.socket('/admin', { auth: { token: 'admin-token' } }); // connects by itself
  await once(admin, 'connect', undefined, { failOn: ['connect_error'] });

  const gone = once(main, 'disconnect');
  let res = await api(hub.url, 'POST', '/api/v1/disconnect', { rooms: ['public:bye'] });
  assert.deepEqual([res.status, res.body], [200, { sockets: 1 }]);
  assert.equal((await gone)[0], 'io server disconnect');
  assert.equal(admin.connected, true, 'the other namespace stays connected');

  const adminGone = once(admin, 'disconnect');
  res = await api(hub.url, 'POST', '/api/v1/disconnect', { namespace: '/admin', rooms: [admin.id], close: true });
  assert.deepEqual([res.status, res.body], [200, { sockets: 1 }]);
  assert.equal((await adminGone)[0], 'io server disconnect');
});

test('refusals: a clear 4xx JSON error and nothing done', async (t) => {
  const track = tracker(t);
  const watcher = await subscriber(track, 'public:refusals');
  const received = record(watcher, 'data-changed');
  const valid = { rooms: ['public:refusals'], event: 'data-changed', args: [1] };
  const cases = [
    ['missing key', 'POST', '/api/v1/emit', valid, { key: null }, 401, /Authorization: Bearer/],
    ['wrong key', 'POST', '/api/v1/emit', valid, { key: 'not-the-key-at-all-000' }, 401, /wrong API key/],
    ['bad JSON', 'POST', '/api/v1/emit', undefined, { raw: '{"event": "x",' }, 400, /not valid JSON/],
    ['not an object', 'POST', '/api/v1/emit', [1], {}, 400, /JSON object/],
    ['args not an array', 'POST', '/api/v1/emit', { ...valid, args: 'x' }, {}, 400, /^args: expected array$/],
    ['room not a string', 'POST', '/api/v1/emit', { ...valid, rooms: ['public:refusals', 3] }, {}, 400,
      /rooms\[1\]: expected string/],
    ['event missing', 'POST', '/api/v1/emit', { rooms: ['public:refusals'] }, {}, 400, /event: required/],
    ['reserved event', 'POST', '/api/v1/emit', { ...valid, event: 'disconnect' }, {}, 400, /reserved/],
    ['unknown key', 'POST', '/api/v1/emit', { ...valid, room: 'x' }, {}, 400, /room: unknown key/],
    ['ack timeout too long', 'POST', '/api/v1/emit', { ...valid, ackTimeoutMs: 999999 }, {}, 400,
      /ackTimeoutMs: must be between 0 and 5000/],
    ['unknown namespace', 'POST', '/api/v1/emit', { ...valid, namespace: '/nope' }, {}, 404, /unknown namespace "\/nope"/],
    ['unknown endpoint', 'POST', '/api/v1/publish', valid, {}, 404, /unknown endpoint/],
    ['wrong method', 'GET', '/api/v1/emit', undefined, {}, 405, /takes POST/],
    ['not JSON content', 'POST', '/api/v1/emit', undefined, { raw: 'a=b', headers: { 'Content-Type': 'text/plain' } },
      415, /application\/json/],
    ['body too large', 'POST', '/api/v1/emit', { ...valid, args: ['x'.repeat(5000)] }, {}, 413, /larger than 4096/],
    ['join without rooms to join', 'POST', '/api/v1/join', { rooms: ['public:refusals'] }, {}, 400, /join: required/],
    ['join of an empty list', 'POST', '/api/v1/join', { join: [] }, {}, 400, /join: must not be empty/],
    ['close not a boolean', 'POST', '/api/v1/disconnect', { close: 'yes' }, {}, 400, /close: expected boolean/],
    ['unknown query parameter', 'GET', '/api/v1/sockets?nsp=/', undefined, {}, 400, /nsp: unknown query parameter/],
  ];
  for (const [what, method, pathname, body, opts, status, message] of cases) {
    const res = await api(hub.url, method, pathname, body, opts);
    assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
    assert.equal(typeof res.body, 'object', `${what}: JSON body`);
    assert.match(res.body.error, message, what);
  }
  // Everything above was refused before acting: the watcher is still here and got nothing.
  const marker = once(watcher, 'marker');
  await api(hub.url, 'POST', '/api/v1/emit', { rooms: ['public:refusals'], event: 'marker' });
  await marker;
  assert.deepEqual(received.stop(), []);
  assert.equal(watcher.connected, true);
});

test('without any API key the API refuses every call', async () => {
  const bare = await startHub({ apiKey: null });
  try {
    const res = await api(bare.url, 'POST', '/api/v1/emit', { event: 'x' }, { key: API_KEY });
    assert.equal(res.status, 403);
    assert.match(res.body.error, /no API key is configured/);
  } finally {
    await bare.stop();
  }
});
