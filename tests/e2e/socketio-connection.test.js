'use strict';
// Socket.IO connection, namespaces, admission and connection-level limits.
const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const { useServer } = require('./lib/server');
const { once, tracker, emitWithAck, emitAck } = require('./lib/util');
const { sio, sioConnect, manager, EioSocket } = require('./lib/clients');

const srv = useServer();

const whoami = (s) => emitWithAck(s, 'whoami');

describe('socket.io connection over each transport', () => {
  for (const transport of ['polling', 'websocket']) {
    test(`${transport} only`, async (t) => {
      const track = tracker(t);
      const s = await sioConnect(track, srv.url, '/', { transports: [transport] });
      assert.equal(s.io.engine.transport.name, transport);
      const me = await whoami(s);
      assert.equal(me.transport, transport, 'transport as seen by the server');
      assert.equal(me.id, s.id);
      assert.deepEqual(await emitAck(s, 'message-with-ack', ['hi', 42]), ['hi', 42]);
    });
  }

  test('upgrade polling -> websocket with acked emits flowing across the switch', async (t) => {
    const track = tracker(t);
    const s = sio(track, srv.url, '/');
    const engine = s.io.engine;
    assert.equal(engine.transport.name, 'polling', 'starts on polling');
    // Hold the websocket probe back until the namespace is connected and some acks
    // went over polling, so the switch happens in the middle of the stream.
    const origProbe = engine._probe;
    assert.equal(typeof origProbe, 'function', 'engine.io-client internals changed: no _probe');
    let heldProbe = null;
    engine._probe = (name) => { heldProbe = name; };
    const upgraded = once(engine, 'upgrade', 5000, { failOn: ['upgradeError'], what: 'engine upgrade' });
    let ackedAtUpgrade = -1;
    engine.once('upgrade', () => { ackedAtUpgrade = order.length; });

    const MIN = 150; // at least this many emits in total
    const AROUND = 20; // and at least this many acks before and after the switch
    const MAX = 3000; // bound
    const WINDOW = 8; // acks in flight
    const order = [];
    let next = 0;
    let inFlight = 0;
    const more = () => next < MAX &&
      (next < MIN || ackedAtUpgrade < 0 || order.length - ackedAtUpgrade < AROUND);
    const all = new Promise((resolve, reject) => {
      const sendOne = () => {
        const i = next++;
        inFlight++;
        emitAck(s, 'message-with-ack', [i, `v${i}`], 5000).then((r) => {
          inFlight--;
          assert.deepEqual(r, [i, `v${i}`], `ack ${i}`);
          order.push(i);
          if (order.length === AROUND) {
            assert.ok(heldProbe, 'websocket upgrade was offered');
            origProbe.call(engine, heldProbe);
          }
          if (more()) sendOne();
          else if (inFlight === 0) resolve();
        }).catch(reject);
      };
      for (let k = 0; k < WINDOW; k++) sendOne();
    });
    await upgraded;
    await all;
    assert.deepEqual(order, Array.from({ length: next }, (_, i) => i), 'acks arrive in emit order');
    assert.ok(ackedAtUpgrade >= AROUND, `acks before the switch: ${ackedAtUpgrade}`);
    assert.ok(order.length - ackedAtUpgrade >= AROUND, 'acks after the switch');
    t.diagnostic(`${next} emits, ${ackedAtUpgrade} acked before the switch`);
    assert.equal(engine.transport.name, 'websocket');
    const me = await whoami(s);
    assert.equal(me.transport, 'websocket', 'server sees the upgraded transport');
  });
});

describe('socket.io handshake data', () => {
  test('auth event echoes the CONNECT payload', async (t) => {
    const track = tracker(t);
    const auth = { token: 'abc', nested: { list: [1, 'two', null], flag: true } };
    const s = sio(track, srv.url, '/', { auth });
    const got = once(s, 'auth', undefined, { failOn: ['connect_error'] });
    const [payload] = await got;
    assert.deepEqual(payload, auth);
  });

  test('auth event is {} without a CONNECT payload', async (t) => {
    const track = tracker(t);
    const s = sio(track, srv.url, '/custom');
    const [payload] = await once(s, 'auth', undefined, { failOn: ['connect_error'] });
    assert.deepEqual(payload, {});
  });

  test('whoami reports ids, transport, auth, query, sorted rooms', async (t) => {
    const track = tracker(t);
    const s = await sioConnect(track, srv.url, '/', {
      transports: ['websocket'], query: { foo: 'bar', n: '42' }, auth: { user: 'alice' },
    });
    const me = await whoami(s);
    assert.equal(me.nsp, '/');
    assert.equal(me.id, s.id);
    assert.equal(me.engineId, s.io.engine.id);
    assert.notEqual(me.id, me.engineId, 'socket id must differ from the Engine.IO sid');
    assert.equal(me.transport, 'websocket');
    assert.deepEqual(me.auth, { user: 'alice' });
    assert.equal(me.query.foo, 'bar');
    assert.equal(me.query.n, '42');
    assert.deepEqual(me.rooms, [s.id]);
    assert.equal(me.recovered, false);

    const rooms = await emitWithAck(s, 'join', ['zeta', 'alpha', 'Mid']);
    const expected = [s.id, 'zeta', 'alpha', 'Mid'].sort();
    assert.deepEqual(rooms, expected, 'join ack is the sorted room list');
    const me2 = await whoami(s);
    assert.deepEqual(me2.rooms, expected);
  });
});

describe('socket.io namespaces', () => {
  test('multiplexing / and /custom on one Manager', async (t) => {
    const track = tracker(t);
    const m = manager(track, srv.url, { transports: ['websocket'] });
    const a = track(m.socket('/'));
    const b = track(m.socket('/custom'));
    await Promise.all([
      once(a, 'connect', undefined, { failOn: ['connect_error'], what: 'connect /' }),
      once(b, 'connect', undefined, { failOn: ['connect_error'], what: 'connect /custom' }),
    ]);
    const [wa, wb] = await Promise.all([whoami(a), whoami(b)]);
    assert.equal(wa.nsp, '/');
    assert.equal(wb.nsp, '/custom');
    assert.equal(wa.engineId, m.engine.id);
    assert.equal(wb.engineId, m.engine.id, 'one Engine.IO session for both namespaces');
    assert.notEqual(wa.id, wb.id);

    // rooms are per namespace: 'shared' in / is unrelated to 'shared' in /custom
    await emitWithAck(a, 'join', 'shared');
    const seenByA = [];
    a.on('room-event', (ev) => seenByA.push(ev));
    assert.equal(await emitWithAck(b, 'room-emit', 'shared', 'from-custom'), 'ok');
    assert.equal(await emitWithAck(a, 'room-emit', 'shared', 'from-root'), 'ok');
    await whoami(a); // everything sent to `a` before this ack has been delivered
    assert.deepEqual(seenByA.map((e) => e.payload), ['from-root']);
  });

  test('/private refused without token, accepted with it', async (t) => {
    const track = tracker(t);
    const m = manager(track, srv.url, { transports: ['websocket'] });
    const bad = track(m.socket('/private', { auth: { token: 'wrong' } }));
    const [err] = await once(bad, 'connect_error', undefined, { failOn: ['connect'] });
    assert.equal(err.message, 'not authorized');
    assert.deepEqual(err.data, { code: 'E_AUTH', reason: 'auth.token must be "let-me-in"' });
    assert.equal(bad.connected, false);

    const none = track(m.socket('/private', { forceNew: false }));
    const [err2] = await once(none, 'connect_error', undefined, { failOn: ['connect'] });
    assert.equal(err2.message, 'not authorized');
    assert.equal(err2.data && err2.data.code, 'E_AUTH');

    const good = sio(track, srv.url, '/private', { auth: { token: 'let-me-in' } });
    const authEvent = once(good, 'auth', undefined, { failOn: ['connect_error'] });
    await once(good, 'connect', undefined, { failOn: ['connect_error'] });
    assert.deepEqual((await authEvent)[0], { token: 'let-me-in' });
    const me = await whoami(good);
    assert.equal(me.nsp, '/private');
  });

  test('unknown namespace -> "Invalid namespace", other namespaces unaffected', async (t) => {
    const track = tracker(t);
    const m = manager(track, srv.url, { transports: ['websocket'] });
    const root = track(m.socket('/'));
    await once(root, 'connect', undefined, { failOn: ['connect_error'] });
    const engineId = m.engine.id;
    const bogus = track(m.socket('/does-not-exist'));
    const [err] = await once(bogus, 'connect_error', undefined, { failOn: ['connect'] });
    assert.equal(err.message, 'Invalid namespace');
    const custom = track(m.socket('/custom'));
    await once(custom, 'connect', undefined, { failOn: ['connect_error'] });
    const [w1, w2] = await Promise.all([whoami(root), whoami(custom)]);
    assert.equal(root.connected, true);
    assert.equal(w1.engineId, engineId, 'same Engine.IO session survives the refusal');
    assert.equal(w2.engineId, engineId);
  });
});

describe('socket.io server-side disconnects', () => {
  test('disconnect-me -> "io server disconnect", no reconnect, other namespace unaffected', async (t) => {
    const track = tracker(t);
    const m = manager(track, srv.url, { transports: ['websocket'] });
    const a = track(m.socket('/'));
    const b = track(m.socket('/custom'));
    await Promise.all([once(a, 'connect'), once(b, 'connect')]);
    const engineId = m.engine.id;
    let reconnected = false;
    a.on('connect', () => { reconnected = true; });
    const disc = once(a, 'disconnect');
    a.emit('disconnect-me');
    const [reason] = await disc;
    assert.equal(reason, 'io server disconnect');
    assert.equal(a.active, false, 'client must not plan a reconnect after a server disconnect');
    const wb = await whoami(b);
    assert.equal(wb.engineId, engineId, '/custom keeps working on the same session');
    assert.equal(a.connected, false);
    assert.equal(reconnected, false);
  });

  for (const transport of ['polling', 'websocket']) {
    test(`drop-transport over ${transport} -> "transport close" then automatic reconnect`, async (t) => {
      const track = tracker(t);
      const s = await sioConnect(track, srv.url, '/', { transports: [transport] });
      const firstId = s.id;
      const firstEngine = s.io.engine.id;
      const disc = once(s, 'disconnect');
      s.emit('drop-transport');
      const [reason] = await disc;
      assert.equal(reason, 'transport close');
      assert.equal(s.active, true, 'client plans a reconnect');
      await once(s, 'connect', 4000, { failOn: ['connect_error'], what: 'automatic reconnect' });
      const me = await whoami(s);
      assert.equal(me.id, s.id);
      assert.notEqual(me.engineId, firstEngine, 'a new Engine.IO session');
      assert.notEqual(s.id, firstId, 'no recovery on the main instance: new socket id');
    });
  }

  test('Engine.IO session without a Socket.IO CONNECT is closed after the connect timeout', async (t) => {
    const track = tracker(t);
    const e = track(new EioSocket(srv.url, { path: '/socket.io/' }));
    await once(e, 'open', undefined, { failOn: ['close'] });
    const t0 = Date.now();
    const [reason] = await once(e, 'close', 3000, { what: 'server closing the idle session' });
    const elapsed = Date.now() - t0;
    assert.equal(reason, 'transport close', 'closed by the server');
    assert.ok(elapsed >= 600, `closed after ${elapsed} ms, expected ~1000 ms`);
  });
});

describe('socket.io payload limits', () => {
  for (const transport of ['polling', 'websocket']) {
    test(`~990 kB string accepted and echoed (${transport})`, async (t) => {
      const track = tracker(t);
      const s = await sioConnect(track, srv.url, '/', { transports: [transport] });
      const big = 'p'.repeat(990 * 1000);
      const [echo] = await emitAck(s, 'message-with-ack', [big], 5000);
      assert.equal(echo.length, big.length);
      assert.ok(echo === big, 'echo identical');
      assert.equal(s.connected, true);
    });

    test(`1.1 MB message closes the connection (${transport})`, async (t) => {
      const track = tracker(t);
      const s = await sioConnect(track, srv.url, '/', { transports: [transport], reconnection: false });
      const disc = once(s, 'disconnect', 5000, { what: 'disconnect after oversize message' });
      s.emit('message', 'q'.repeat(1100 * 1000));
      const [reason] = await disc;
      assert.ok(['transport close', 'transport error'].includes(reason), `reason: ${reason}`);
    });
  }

  test('~900 kB binary accepted and echoed (websocket)', async (t) => {
    const track = tracker(t);
    const s = await sioConnect(track, srv.url, '/', { transports: ['websocket'] });
    const big = Buffer.alloc(900 * 1000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 0xff;
    const [echo] = await emitAck(s, 'message-with-ack', [big], 5000);
    assert.ok(Buffer.isBuffer(echo));
    assert.ok(echo.equals(big));
  });
});
