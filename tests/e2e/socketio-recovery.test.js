'use strict';
// Connection-state recovery, on the recovery instance (--recovery-port).
const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const { useServer } = require('./lib/server');
const { once, waitFor, tracker, emitWithAck } = require('./lib/util');
const { sioConnect } = require('./lib/clients');

const srv = useServer({ recovery: true });

const whoami = (s) => emitWithAck(s, 'whoami');
let roomSeq = 0;
const uniqueRoom = (name) => `${name}-${process.pid}-${++roomSeq}`;

async function observer(track, url) {
  const o = await sioConnect(track, url, '/', { transports: ['websocket'] });
  await emitWithAck(o, 'join', 'observers');
  return o;
}
const peerGone = (o, id) =>
  waitFor(o, 'peer-disconnect', (ev) => ev && ev.id === id, 3000, `peer-disconnect for ${id}`);

/**
 * A loses its transport (by `loseTransport`), the server notices (observer sees
 * peer-disconnect), B room-emits to A's room while A is away, then A reconnects
 * (manually, so the emit is guaranteed to happen while A is away).
 */
async function recoveryScenario(t, transport, loseTransport) {
  const track = tracker(t);
  const url = srv.recoveryUrl;
  const o = await observer(track, url);
  const a = await sioConnect(track, url, '/', { transports: [transport], reconnection: false });
  const b = await sioConnect(track, url, '/', { transports: ['websocket'] });
  const room = uniqueRoom('rec');
  await emitWithAck(a, 'join', room);
  const before = await whoami(a);
  assert.equal(before.recovered, false, 'fresh session is not recovered');
  const oldId = a.id;
  const oldEngine = a.io.engine.id;

  const gone = peerGone(o, oldId);
  const disc = once(a, 'disconnect');
  loseTransport(a);
  const [reason] = await disc;
  const peer = await gone;
  assert.equal(peer.id, oldId);

  assert.equal(await emitWithAck(b, 'room-emit', room, { missed: 1 }), 'ok');
  assert.equal(await emitWithAck(b, 'room-emit', room, { missed: 2 }), 'ok');

  const replayed = [];
  a.on('room-event', (ev) => replayed.push(ev));
  const reconnected = once(a, 'connect', 3000, { failOn: ['connect_error'], what: 'reconnect' });
  a.connect();
  await reconnected;
  assert.equal(a.recovered, true, 'socket.recovered');
  assert.equal(a.id, oldId, 'same socket id');
  assert.notEqual(a.io.engine.id, oldEngine, 'new Engine.IO session');
  const after = await whoami(a);
  assert.equal(after.recovered, true);
  assert.equal(after.id, oldId);
  assert.deepEqual(after.rooms, [oldId, room].sort(), 'rooms restored');
  assert.deepEqual(replayed.map((e) => e.payload), [{ missed: 1 }, { missed: 2 }], 'missed events replayed in order');
  assert.equal(replayed[0].from, b.id);
  assert.equal(replayed[0].room, room);
  return { reason, peerReason: peer.reason };
}

describe('connection-state recovery', () => {
  test('CONNECT on the recovery instance: fresh socket not recovered, whoami agrees', async (t) => {
    const track = tracker(t);
    const s = await sioConnect(track, srv.recoveryUrl, '/');
    assert.equal(s.recovered, false);
    const me = await whoami(s);
    assert.equal(me.recovered, false);
    assert.equal(me.id, s.id);
  });

  for (const transport of ['polling', 'websocket']) {
    test(`server drops the transport (drop-transport, ${transport}): recovered with missed room events`, async (t) => {
      const { reason } = await recoveryScenario(t, transport, (a) => a.emit('drop-transport'));
      assert.equal(reason, 'transport close');
    });
  }

  test('client closes its transport (engine.close()): recovered with missed room events', async (t) => {
    const { peerReason } = await recoveryScenario(t, 'websocket', (a) => a.io.engine.close());
    assert.equal(peerReason, 'transport close');
  });

  test('automatic reconnect after drop-transport is recovered', async (t) => {
    const track = tracker(t);
    const s = await sioConnect(track, srv.recoveryUrl, '/');
    const room = uniqueRoom('auto');
    await emitWithAck(s, 'join', room);
    const oldId = s.id;
    const disc = once(s, 'disconnect');
    s.emit('drop-transport');
    assert.equal((await disc)[0], 'transport close');
    await once(s, 'connect', 4000, { failOn: ['connect_error'], what: 'automatic reconnect' });
    assert.equal(s.recovered, true);
    assert.equal(s.id, oldId);
    assert.deepEqual((await whoami(s)).rooms, [oldId, room].sort());
  });

  test('client-initiated disconnect is not recoverable', async (t) => {
    const track = tracker(t);
    const url = srv.recoveryUrl;
    const o = await observer(track, url);
    const a = await sioConnect(track, url, '/');
    const room = uniqueRoom('gone');
    await emitWithAck(a, 'join', room);
    const oldId = a.id;
    const gone = peerGone(o, oldId);
    a.disconnect();
    assert.equal((await gone).reason, 'client namespace disconnect');
    const reconnected = once(a, 'connect', 3000, { failOn: ['connect_error'] });
    a.connect();
    await reconnected;
    assert.equal(a.recovered, false, 'socket.recovered');
    assert.notEqual(a.id, oldId, 'new socket id');
    const me = await whoami(a);
    assert.equal(me.recovered, false);
    assert.deepEqual(me.rooms, [a.id], 'old rooms are gone');
  });
});
