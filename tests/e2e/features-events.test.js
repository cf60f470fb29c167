'use strict';
// plugboard-featureapp: per-socket packet middleware (socket.use), onAny / onAnyOutgoing,
// server -> client emitWithAck with timeout, volatile emits, and server-side disconnect
// reasons (drop-transport, an invalid packet, disconnect(close)).
//
// The app is PLUGBOARD_FEATUREAPP (a command, like PLUGBOARD_TESTAPP); when unset, the
// plugboard-featureapp next to PLUGBOARD_TESTAPP's binary, else build/bin/plugboard-featureapp.
const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const { useServer, appCommand } = require('./lib/server');
const { once, waitFor, record, tracker, emitAck, emitWithAck } = require('./lib/util');
const { sioConnect, manager, eioOpen } = require('./lib/clients');

const srv = useServer({ command: appCommand('plugboard-featureapp', 'PLUGBOARD_FEATUREAPP') });

const whoami = (s) => emitWithAck(s, 'whoami');
let seq = 0;
const dynName = () => `/dyn-${process.pid % 1000}${++seq}`;

async function observer(track) {
  const o = await sioConnect(track, srv.url, '/', { transports: ['websocket'] });
  assert.ok((await emitWithAck(o, 'join', 'observers')).includes('observers'));
  return o;
}
const peerGone = (o, id) => waitFor(o, 'peer-disconnect', (e) => e && e.id === id, undefined, `peer-disconnect ${id}`);

describe('socket.use and onAny', () => {
  for (const transport of ['polling', 'websocket']) {
    test(`socket.use refuses an event: no handler, no ack, error reported (${transport})`, async (t) => {
      const track = tracker(t);
      const s = await sioConnect(track, srv.url, '/', { transports: [transport] });
      let handlerReply = null;
      const reported = once(s, 'use-error');
      s.emit('forbidden', 1, (reply) => { handlerReply = reply; });
      assert.deepEqual(await reported, ['event refused by socket.use']);
      const me = await whoami(s); // an ack from the handler would have come before this one
      assert.equal(me.id, s.id, 'the connection is still usable');
      assert.equal(handlerReply, null);
    });
  }

  test('socket.use may rewrite the arguments', async (t) => {
    const track = tracker(t);
    const s = await sioConnect(track, srv.url, '/');
    assert.deepEqual(await emitAck(s, 'shout', ['abc', 1, { k: 'v' }, 'dé']), ['ABC', 1, { k: 'v' }, 'DÉ']);
    assert.deepEqual(await emitAck(s, 'echo', ['abc']), ['abc'], 'other events untouched');
  });

  test('onAny sees every incoming event, handled or not, refused or not', async (t) => {
    const track = tracker(t);
    const s = await sioConnect(track, srv.url, '/', { transports: ['websocket'] });
    s.emit('no-handler', 1);
    s.emit('forbidden');
    await emitAck(s, 'echo', [Buffer.from([1])]);
    s.emit('another', { x: 1 });
    assert.deepEqual(await emitWithAck(s, 'any-log'), ['no-handler', 'forbidden', 'echo', 'another', 'any-log']);
  });

  test('onAnyOutgoing sees events to this socket, broadcasts included, not acks', async (t) => {
    const track = tracker(t);
    const nsp = dynName();
    const [a, b] = await Promise.all([sioConnect(track, srv.url, nsp), sioConnect(track, srv.url, nsp)]);
    assert.equal(await emitWithAck(a, 'emit-to-me', ['first', 'second']), true);
    const reported = once(a, 'use-error');
    a.emit('forbidden');
    await reported;
    await emitWithAck(a, 'join', 'r');
    a.on('ack-request', (payload, cb) => cb('fine'));
    const res = await emitWithAck(b, 'do-broadcast-with-ack', { room: 'r', timeout: 2000, payload: 1 });
    assert.equal(res.ok, true);
    assert.deepEqual(await emitWithAck(a, 'outgoing-log'), ['first', 'second', 'use-error', 'ack-request']);
    assert.deepEqual(await emitWithAck(b, 'outgoing-log'), [], 'b was only answered through acks');
  });
});

describe('server -> client emitWithAck', () => {
  for (const transport of ['polling', 'websocket']) {
    test(`reply, binary reply and timeout (${transport})`, async (t) => {
      const track = tracker(t);
      const s = await sioConnect(track, srv.url, '/', { transports: [transport] });
      s.on('question', (a, b, cb) => cb(a + 1, b.toUpperCase()));
      s.on('binary-question', (cb) => cb(Buffer.from([1, 2, 3]), { nested: [Buffer.alloc(0)] }));
      s.on('empty-question', (cb) => cb());

      assert.deepEqual(await emitWithAck(s, 'ask', { event: 'question', args: [1, 'two'], timeout: 1000 }),
        { ok: true, args: [2, 'TWO'] });
      assert.deepEqual(await emitWithAck(s, 'ask', { event: 'binary-question', timeout: 1000 }),
        { ok: true, args: [Buffer.from([1, 2, 3]), { nested: [Buffer.alloc(0)] }] });
      assert.deepEqual(await emitWithAck(s, 'ask', { event: 'empty-question', timeout: 1000 }),
        { ok: true, args: [] });
      const started = Date.now();
      assert.deepEqual(await emitWithAck(s, 'ask', { event: 'unanswered', timeout: 200 }),
        { ok: false, error: 'operation has timed out', args: [] });
      assert.ok(Date.now() - started >= 150, 'the timeout is honoured');
    });
  }

  test('pending asks are independent', async (t) => {
    const track = tracker(t);
    const s = await sioConnect(track, srv.url, '/', { transports: ['websocket'] });
    s.on('q', (n, cb) => { if (n % 2 === 0) cb(n * 10); });
    const results = await Promise.all([0, 1, 2, 3].map((n) =>
      emitWithAck(s, 'ask', { event: 'q', args: [n], timeout: 300 })));
    assert.deepEqual(results, [
      { ok: true, args: [0] },
      { ok: false, error: 'operation has timed out', args: [] },
      { ok: true, args: [20] },
      { ok: false, error: 'operation has timed out', args: [] },
    ]);
  });
});

describe('volatile', () => {
  // Polling: a volatile packet goes out only while a GET is pending, so a synchronous burst
  // loses all but (at most) the first. WebSocket: the first one always goes out (empty
  // buffer); how many follow depends on the transport's backlog.
  for (const transport of ['polling', 'websocket']) {
    test(`volatile burst: never duplicated or reordered (${transport})`, async (t) => {
      const track = tracker(t);
      const s = await sioConnect(track, srv.url, '/', { transports: [transport] });
      const N = 300;
      const ticks = record(s, 'v-tick');
      const done = once(s, 'v-done', 5000);
      assert.equal(await emitWithAck(s, 'volatile-burst', N, 2000), N);
      assert.deepEqual(await done, [N], 'the regular emit after the burst arrives');
      const seen = ticks.stop();
      assert.ok(seen.length <= N);
      for (let i = 1; i < seen.length; i++) assert.ok(seen[i] > seen[i - 1], `strictly increasing at ${i}`);
      if (transport === 'polling') assert.ok(seen.length <= 1, `at most one per pending GET (got ${seen.length})`);
      else {
        assert.equal(seen[0], 0, 'the first volatile packet goes out');
        // 600 kB emitted in one pass of the server's event loop: past volatileHighWaterMark
        // (64 KiB unsent) the rest is dropped.
        assert.ok(seen.length > 1 && seen.length < N / 2, `some dropped, not all (got ${seen.length}/${N})`);
      }
      assert.equal((await whoami(s)).id, s.id);
    });
  }
});

describe('server-side disconnect reasons', () => {
  for (const transport of ['polling', 'websocket']) {
    test(`drop-transport -> "forced close" on the server, "transport close" on the client (${transport})`, async (t) => {
      const track = tracker(t);
      const o = await observer(track);
      const s = await sioConnect(track, srv.url, '/', { transports: [transport], reconnection: false });
      const id = s.id;
      const seen = peerGone(o, id);
      const disc = once(s, 'disconnect');
      s.emit('drop-transport');
      assert.deepEqual(await seen, { nsp: '/', id, reason: 'forced close' });
      assert.equal((await disc)[0], 'transport close');
    });
  }

  for (const [label, packet] of [['bad ack id', '2abc'], ['unknown type', '9'], ['event without array', '2{"a":1}'],
    ['reserved event name', '2["disconnect"]'], ['namespace not joined', '2/mw,["echo"]']]) {
    test(`invalid packet (${label}) -> "forced close"`, async (t) => {
      const track = tracker(t);
      const o = await observer(track);
      const e = await eioOpen(track, srv.url, { path: '/socket.io/', transports: ['websocket'] });
      const reply = once(e, 'message');
      e.send('0');
      const [msg] = await reply;
      assert.match(msg, /^0\{"sid":"[^"]+"\}$/);
      const { sid } = JSON.parse(msg.slice(1));
      assert.notEqual(sid, e.id);
      const seen = peerGone(o, sid);
      const closed = once(e, 'close');
      e.send(packet);
      assert.deepEqual(await seen, { nsp: '/', id: sid, reason: 'forced close' });
      await closed;
    });
  }

  test('disconnect(true) ends every namespace of the connection; disconnect(false) only one', async (t) => {
    const track = tracker(t);
    const o = await observer(track);
    const nsp = dynName();
    const m = manager(track, srv.url, { transports: ['websocket'], reconnection: false });
    const root = track(m.socket('/'));
    const dyn = track(m.socket(nsp));
    const mw = track(m.socket('/mw', { auth: { token: 'ok' } }));
    await Promise.all([root, dyn, mw].map((s) => once(s, 'connect', undefined, { failOn: ['connect_error'] })));
    const engineId = m.engine.id;

    const mwId = mw.id;
    const mwGone = peerGone(o, mwId);
    const mwDisc = once(mw, 'disconnect');
    mw.emit('disconnect-me', false);
    assert.deepEqual(await mwGone, { nsp: '/mw', id: mwId, reason: 'server namespace disconnect' });
    assert.equal((await mwDisc)[0], 'io server disconnect');
    assert.equal((await whoami(root)).engineId, engineId, 'the connection and / live on');

    const [rootId, dynId] = [root.id, dyn.id];
    const gone = [peerGone(o, rootId), peerGone(o, dynId)];
    const discs = [once(root, 'disconnect'), once(dyn, 'disconnect')];
    dyn.emit('disconnect-me', true);
    assert.deepEqual(await Promise.all(gone), [
      { nsp: '/', id: rootId, reason: 'server namespace disconnect' },
      { nsp, id: dynId, reason: 'server namespace disconnect' },
    ]);
    assert.deepEqual((await Promise.all(discs)).map((d) => d[0]), ['io server disconnect', 'io server disconnect']);
  });
});
