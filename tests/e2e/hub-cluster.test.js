'use strict';
// Two `plugboard --headless` nodes joined through one real redis-server (the Redis
// adapter; PLUGBOARD_CLUSTER_MODE=sharded for the sharded one): the HTTP API, hub rooms and
// /health work cluster-wide, and a node keeps serving its own clients while Redis is away.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { sioConnect } = require('./lib/clients');
const { once, record, emitAck, tracker, withTimeout } = require('./lib/util');
const { startHub, api } = require('./hub-harness');
const { startRedis, eventually, MODE } = require('./cluster/harness');

const config = { namespaces: [{ name: '/', rooms: ['public:*'] }] };
const SHARDED = MODE === 'sharded';
let redis;
let hubA;
let hubB;

async function health(hub) {
  return (await api(hub.url, 'GET', '/health')).body;
}

// Emits a probe from `from` until the client on the other node receives it.
async function crossNodeDelivery(from, client) {
  return eventually('cross-node delivery', async () => {
    const got = once(client, 'probe', 100).then(() => true, () => false);
    await api(from.url, 'POST', '/api/v1/emit', { rooms: [], event: 'probe' });
    return got;
  });
}

before(async () => {
  redis = await startRedis();
  const clusterConfig = { ...config, adapter: { type: 'redis', url: redis.url, mode: MODE } };
  [hubA, hubB] = SHARDED
    ? await Promise.all([startHub({ config: clusterConfig }), startHub({ config: clusterConfig })])
    : await Promise.all([startHub({ config, args: ['--redis', redis.url] }), startHub({ config, args: ['--redis', redis.url] })]);
});

after(async () => {
  await Promise.all([hubA?.stop(), hubB?.stop()]);
  await redis?.close();
});

test('an emit posted to node A reaches subscribers on node B', async (t) => {
  const track = tracker(t);
  const onB = await sioConnect(track, hubB.url, '/');
  assert.deepEqual(await emitAck(onB, 'subscribe', ['public:news']), [{ ok: true }]);
  const otherOnB = await sioConnect(track, hubB.url, '/');
  await crossNodeDelivery(hubA, onB);

  const got = once(onB, 'data-changed');
  const strays = record(otherOnB, 'data-changed');
  const res = await api(hubA.url, 'POST', '/api/v1/emit', {
    rooms: ['public:news'], event: 'data-changed', args: [{ z: 1, a: [1, 2] }, 'x'],
  });
  assert.equal(res.status, 200);
  assert.equal(res.body.recipients, 0, 'recipients counts the sockets of the node that was asked');
  assert.deepEqual(await got, [{ z: 1, a: [1, 2] }, 'x']);
  // One publisher, one subscriber: Redis keeps the order, so a marker sent after the emit
  // proves the other socket had its chance to receive it.
  const marker = once(otherOnB, 'marker');
  await api(hubA.url, 'POST', '/api/v1/emit', { rooms: [], event: 'marker' });
  await marker;
  assert.deepEqual(strays.stop(), []);
});

test('GET /api/v1/sockets lists the sockets of every node', async (t) => {
  const track = tracker(t);
  const onA = await sioConnect(track, hubA.url, '/');
  const onB = await sioConnect(track, hubB.url, '/');
  await crossNodeDelivery(hubA, onB);
  const res = await api(hubA.url, 'GET', '/api/v1/sockets?namespace=/');
  assert.equal(res.status, 200);
  const byId = new Map(res.body.sockets.map((s) => [s.id, s]));
  assert.ok(byId.has(onA.id), 'the local socket is listed');
  assert.ok(byId.has(onB.id), 'the remote socket is listed');
  assert.equal(byId.get(onA.id).local, true);
  assert.equal(byId.get(onA.id).transport, 'websocket');
  assert.equal(byId.get(onB.id).local, false);
  assert.equal(byId.get(onB.id).transport, undefined);
  assert.deepEqual(byId.get(onB.id).rooms, [onB.id]);
  assert.equal(byId.get(onB.id).address, '127.0.0.1');
});

test('join through node A puts a socket of node B in the room', async (t) => {
  const track = tracker(t);
  const onB = await sioConnect(track, hubB.url, '/');
  await crossNodeDelivery(hubA, onB);
  const res = await api(hubA.url, 'POST', '/api/v1/join', { rooms: [onB.id], join: ['public:vip'] });
  assert.equal(res.status, 200);
  const listed = await eventually('the join to land on node B', async () => {
    const sockets = (await api(hubB.url, 'GET', `/api/v1/sockets?room=public:vip`)).body.sockets;
    return sockets.length === 1 && sockets;
  });
  assert.equal(listed[0].id, onB.id);
  const got = once(onB, 'vip-only');
  await api(hubA.url, 'POST', '/api/v1/emit', { rooms: ['public:vip'], event: 'vip-only', args: [1] });
  assert.deepEqual(await got, [1]);
});

test('/health reports the adapter and the cluster size', async (t) => {
  const track = tracker(t);
  const onB = await sioConnect(track, hubB.url, '/');
  await crossNodeDelivery(hubA, onB);
  await api(hubA.url, 'GET', '/api/v1/sockets'); // counts the servers
  const h = await health(hubA);
  assert.equal(h.status, 'ok');
  assert.equal(h.adapter.type, SHARDED ? 'redis-sharded' : 'redis');
  assert.equal(h.adapter.connected, true);
  assert.equal(h.adapter.servers, 2);
  assert.ok(h.adapter.messagesOut > 0);
  const metrics = (await api(hubA.url, 'GET', '/metrics')).body;
  assert.match(metrics, /^plugboard_adapter_connected\{adapter="redis"\} 1$/m);
  assert.match(metrics, /^plugboard_adapter_servers 2$/m);
});

test('Redis restarted: local delivery goes on, the cluster joins up again', async (t) => {
  const track = tracker(t);
  const onA = await sioConnect(track, hubA.url, '/');
  const onB = await sioConnect(track, hubB.url, '/');
  await crossNodeDelivery(hubA, onB);

  await redis.stop();
  await eventually('node A to notice', async () => (await health(hubA)).adapter.connected === false);
  const local = once(onA, 'while-down');
  const res = await api(hubA.url, 'POST', '/api/v1/emit', { rooms: [], event: 'while-down', args: ['still here'] });
  assert.equal(res.status, 200);
  assert.deepEqual(await local, ['still here']);
  assert.equal((await health(hubA)).status, 'ok');

  await redis.restart();
  await eventually('both nodes to reconnect', async () =>
    (await health(hubA)).adapter.connected && (await health(hubB)).adapter.connected, { withinMs: 20000 });
  await withTimeout(crossNodeDelivery(hubA, onB), 20000, 'cross-node delivery after the restart');
});
