'use strict';
// Server-side disconnect reasons, observed through the `observers` room.
const { describe, test, before } = require('node:test');
const assert = require('node:assert/strict');
const { useServer } = require('./lib/server');
const { once, waitFor, tracker, emitWithAck } = require('./lib/util');
const { sioConnect, dropPongs } = require('./lib/clients');

const srv = useServer();

async function observer(track, nsp = '/') {
  const o = await sioConnect(track, srv.url, nsp, { transports: ['websocket'] });
  const rooms = await emitWithAck(o, 'join', 'observers');
  assert.ok(rooms.includes('observers'));
  return o;
}

const peerGone = (o, id, ms = 3000) =>
  waitFor(o, 'peer-disconnect', (ev) => ev && ev.id === id, ms, `peer-disconnect for ${id}`);

describe('peer-disconnect reasons', () => {
  test('client namespace disconnect', async (t) => {
    const track = tracker(t);
    const o = await observer(track);
    const b = await sioConnect(track, srv.url, '/');
    const id = b.id;
    const seen = peerGone(o, id);
    const disc = once(b, 'disconnect');
    b.disconnect();
    assert.equal((await disc)[0], 'io client disconnect');
    assert.deepEqual(await seen, { id, reason: 'client namespace disconnect' });
  });

  test('server namespace disconnect (disconnect-me)', async (t) => {
    const track = tracker(t);
    const o = await observer(track);
    const b = await sioConnect(track, srv.url, '/');
    const id = b.id;
    const seen = peerGone(o, id);
    const disc = once(b, 'disconnect');
    b.emit('disconnect-me');
    assert.equal((await disc)[0], 'io server disconnect');
    assert.deepEqual(await seen, { id, reason: 'server namespace disconnect' });
  });

  for (const transport of ['polling', 'websocket']) {
    test(`transport close: client closes its ${transport} transport`, async (t) => {
      const track = tracker(t);
      const o = await observer(track);
      const b = await sioConnect(track, srv.url, '/', { transports: [transport], reconnection: false });
      const id = b.id;
      const seen = peerGone(o, id);
      b.io.engine.close();
      assert.deepEqual(await seen, { id, reason: 'transport close' });
    });

    test(`ping timeout: client stops answering pings (${transport})`, async (t) => {
      const track = tracker(t);
      const o = await observer(track);
      const b = await sioConnect(track, srv.url, '/', { transports: [transport], reconnection: false });
      const id = b.id;
      const seen = peerGone(o, id);
      const dropped = dropPongs(b.io.engine);
      const disc = once(b, 'disconnect', 3000);
      assert.deepEqual(await seen, { id, reason: 'ping timeout' });
      assert.ok(dropped.count >= 1, 'a pong was withheld');
      const [clientReason] = await disc;
      assert.equal(clientReason, 'transport close', 'client learns it from the server closing');
    });
  }

  test('observers are per namespace', async (t) => {
    const track = tracker(t);
    const oRoot = await observer(track, '/');
    const oCustom = await observer(track, '/custom');
    const b = await sioConnect(track, srv.url, '/custom');
    const id = b.id;
    const rootEvents = [];
    oRoot.on('peer-disconnect', (ev) => { if (ev.id === id) rootEvents.push(ev); });
    const seen = peerGone(oCustom, id);
    b.disconnect();
    assert.deepEqual(await seen, { id, reason: 'client namespace disconnect' });
    await emitWithAck(oRoot, 'whoami');
    assert.deepEqual(rootEvents, [], 'a /custom disconnect is not announced in /');
  });
});
