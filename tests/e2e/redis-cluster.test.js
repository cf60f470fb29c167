'use strict';
// Mixed clusters through one real redis-server: Plugboard's plugboard-redis-peer and Node's
// socket.io 4.8.4 + @socket.io/redis-adapter 8.3.0 (tests/e2e/cluster/node-peer.js), both
// following tests/data/redis-interop/CONTRACT.md, driven by the real socket.io-client and
// both emitters. Each scenario runs for every pair in PLUGBOARD_CLUSTER_PAIRS
// (default plugboard+node,node+plugboard,plugboard+plugboard; node+node checks the harness
// itself), with the adapter PLUGBOARD_CLUSTER_MODE names: classic (createAdapter, default) or
// sharded (createShardedAdapter).
const { describe, test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const {
  REQUESTS_TIMEOUT_MS, MODE, startRedis, startNode, clusterReady, client, ack, eventually, nodeEmitter,
  plugboardEmitter, recorder,
} = require('./cluster/harness');

const SHARDED = MODE === 'sharded';

const PAIRS = (process.env.PLUGBOARD_CLUSTER_PAIRS || 'plugboard+node,node+plugboard,plugboard+plugboard').split(',').map((p) => p.trim().split('+'));
let labels = 0;
const label = (what) => `${what}-${++labels}`;

for (const [kindA, kindB] of PAIRS) {
  describe(`${MODE} cluster A=${kindA} B=${kindB}`, { timeout: 120000 }, () => {
    let redis;
    let A;
    let B;
    const sockets = [];
    const connect = async (node, nsp = '/', who = label('c')) => {
      const s = await client(node.url, nsp, who);
      sockets.push(s);
      return s;
    };
    // A marker broadcast to everyone from `from` after the emit under test: Redis keeps the
    // order of one publisher, so once `socket` has the marker it would have had the emit.
    const fence = async (from, socket, nsp = '/') => {
      const event = label('fence');
      const got = recorder(socket, event);
      assert.deepEqual(await from.ctl('emit', { nsp, event, args: [] }), { ok: true });
      await got.next(1);
    };

    before(async () => {
      redis = await startRedis();
      A = await startNode(kindA, 'A', redis);
      B = await startNode(kindB, 'B', redis);
      await clusterReady(redis);
    });
    afterEach(() => { for (const s of sockets.splice(0)) s.close(); });
    after(async (t) => {
      if (t && t.failed) console.error(`--- node A log ---\n${A?.log()}\n--- node B log ---\n${B?.log()}`);
      await Promise.all([A?.stop(), B?.stop()]);
      await redis?.close();
    });

    test('info and serverCount', async () => {
      for (const node of [A, B]) {
        assert.equal(node.info.requestsTimeout, REQUESTS_TIMEOUT_MS);
        assert.deepEqual(node.info.nsps, ['/', '/chat']);
        assert.deepEqual(await node.ctl('serverCount', { nsp: '/' }), { ok: true, count: 2 });
      }
    });

    test('broadcasts to all, one room, several rooms, except, /chat and local', async () => {
      const a1 = await connect(A); const b1 = await connect(B); const b2 = await connect(B);
      await ack(a1, 'join', ['r1']); await ack(b1, 'join', ['r1', 'r2']); await ack(b2, 'join', 'r3');
      const rec = (event) => [a1, b1, b2].map((s) => recorder(s, event));

      let r = rec('all');
      await A.ctl('emit', { event: 'all', args: [1, 'two', { three: [3] }] });
      for (const x of r) assert.deepEqual((await x.next())[0], [1, 'two', { three: [3] }]);

      r = rec('one-room');
      await B.ctl('emit', { event: 'one-room', rooms: ['r1'], args: ['x'] });
      await r[0].next(); await r[1].next();
      await fence(B, b2);
      assert.equal(r[2].seen.length, 0);

      r = rec('rooms');
      await A.ctl('emit', { event: 'rooms', rooms: ['r2', 'r3'], args: [] });
      await r[1].next(); await r[2].next();
      await fence(A, a1);
      assert.equal(r[0].seen.length, 0);

      r = rec('except');
      await A.ctl('emit', { event: 'except', except: ['r2', a1.id], args: [] });
      await r[2].next();
      await fence(A, a1); await fence(A, b1);
      assert.equal(r[0].seen.length, 0);
      assert.equal(r[1].seen.length, 0);

      r = rec('local');
      await B.ctl('emit', { event: 'local', local: true, args: [] });
      await r[1].next(); await r[2].next();
      await fence(B, a1);
      assert.equal(r[0].seen.length, 0, 'local stays on node B');

      const c1 = await connect(A, '/chat'); const c2 = await connect(B, '/chat');
      const onChat = [c1, c2].map((s) => recorder(s, 'chat-only'));
      const onMain = rec('chat-only');
      await B.ctl('emit', { nsp: '/chat', event: 'chat-only', args: ['c'] });
      for (const x of onChat) assert.deepEqual((await x.next())[0], ['c']);
      await fence(B, a1); await fence(B, b1);
      for (const x of onMain) assert.equal(x.seen.length, 0);
    });

    test('binary stays binary, volatile and compress flags are carried', async () => {
      const a1 = await connect(A); const b1 = await connect(B);
      const bin = recorder(b1, 'bin');
      await A.ctl('emit', { event: 'bin', args: [Buffer.from([0, 1, 2, 253, 254, 255]), { nested: Buffer.from('nested'), s: 'x' }, 'tail'] });
      const [[first, second, tail]] = await bin.next();
      assert.ok(Buffer.isBuffer(first));
      assert.deepEqual([...first], [0, 1, 2, 253, 254, 255]);
      assert.ok(Buffer.isBuffer(second.nested));
      assert.equal(second.nested.toString(), 'nested');
      assert.equal(tail, 'tail');
      const big = recorder(a1, 'big');
      const payload = Buffer.alloc(70000, 7);
      await B.ctl('emit', { event: 'big', args: [payload] });
      assert.ok((await big.next())[0][0].equals(payload));

      const vol = [a1, b1].map((s) => recorder(s, 'vol'));
      await A.ctl('emit', { event: 'vol', volatile: true, compress: false, args: [1] });
      for (const x of vol) assert.deepEqual((await x.next())[0], [1]);
    });

    test('socket-originated broadcasts reach both nodes, never the sender', async () => {
      const a1 = await connect(A); const a2 = await connect(A); const b1 = await connect(B); const b2 = await connect(B);
      await ack(b2, 'join', 'room-x'); await ack(a2, 'join', 'room-x');
      const all = [a1, a2, b1, b2].map((s) => recorder(s, 'relayed'));
      assert.equal(await ack(a1, 'relay', { event: 'relayed', args: ['hi', Buffer.from('b')] }), 'ok');
      for (const i of [1, 2, 3]) {
        const [args] = await all[i].next();
        assert.equal(args[0], 'hi');
        assert.ok(Buffer.isBuffer(args[1]));
      }
      const toRoom = [a1, a2, b1, b2].map((s) => recorder(s, 'to-room'));
      assert.equal(await ack(b1, 'relay', { event: 'to-room', rooms: ['room-x'], args: [] }), 'ok');
      await toRoom[1].next(); await toRoom[3].next();
      await fence(B, a1); await fence(A, b1);
      assert.equal(all[0].seen.length, 0, 'the sender never receives its broadcast');
      assert.equal(toRoom[0].seen.length, 0);
      assert.equal(toRoom[2].seen.length, 0);
    });

    test('fetchSockets sees both nodes, with Node\'s handshake fields', async () => {
      const la = label('fa'); const lb = label('fb');
      const a1 = await connect(A, '/', la); const b1 = await connect(B, '/', lb);
      await ack(b1, 'join', ['fetch-room']);
      for (const from of [A, B]) {
        const res = await from.ctl('fetchSockets', {});
        assert.equal(res.ok, true, res.error);
        const byId = new Map(res.sockets.map((s) => [s.id, s]));
        assert.ok(byId.has(a1.id) && byId.has(b1.id), 'both nodes\' sockets are listed');
        const remote = byId.get(b1.id);
        assert.deepEqual(remote.rooms, [b1.id, 'fetch-room'].sort());
        assert.deepEqual(remote.data, { node: 'B', label: lb });
        assert.deepEqual(byId.get(a1.id).data, { node: 'A', label: la });
        for (const s of [remote, byId.get(a1.id)]) {
          const h = s.handshake;
          assert.equal(typeof h.headers, 'object');
          assert.equal(typeof h.time, 'string');
          assert.match(h.time, /^\w{3} \w{3} \d{2} \d{4} \d{2}:\d{2}:\d{2} GMT[+-]\d{4} \(.+\)$/);
          assert.equal(h.address, '127.0.0.1');
          assert.equal(h.xdomain, false);
          assert.equal(h.secure, false);
          assert.equal(typeof h.issued, 'number');
          assert.match(h.url, /^\/socket\.io\/\?/);
          assert.equal(h.query.EIO, '4');
          assert.equal(h.query.transport, 'websocket');
          assert.equal(h.query.client, s.data.label);
          assert.deepEqual(h.auth, { label: s.data.label });
          assert.equal(h.sessionStore, undefined);
        }
      }
      const inRoom = await A.ctl('fetchSockets', { rooms: ['fetch-room'] });
      assert.deepEqual(inRoom.sockets.map((s) => s.id), [b1.id]);
      const except = await B.ctl('fetchSockets', { except: ['fetch-room'] });
      assert.ok(except.sockets.some((s) => s.id === a1.id));
      assert.ok(!except.sockets.some((s) => s.id === b1.id));
      const local = await A.ctl('fetchSockets', { local: true });
      assert.ok(local.sockets.every((s) => s.data.node === 'A'));
      assert.ok(local.sockets.some((s) => s.id === a1.id));
    });

    test('socketsJoin, socketsLeave and disconnectSockets across nodes', async () => {
      const a1 = await connect(A); const b1 = await connect(B); const b2 = await connect(B);
      await ack(b1, 'join', 'grp');
      await A.ctl('socketsJoin', { rooms: ['grp'], join: ['joined-1', 'joined-2'] });
      await eventually('b1 to join', async () => (await ack(b1, 'whoami')).rooms.includes('joined-2'));
      assert.ok(!(await ack(b2, 'whoami')).rooms.includes('joined-1'));
      await B.ctl('socketsJoin', { except: ['grp'], join: ['others'] });
      await eventually('a1 to join', async () => (await ack(a1, 'whoami')).rooms.includes('others'));
      await A.ctl('socketsLeave', { rooms: ['grp'], leave: ['joined-1'] });
      await eventually('b1 to leave', async () => !(await ack(b1, 'whoami')).rooms.includes('joined-1'));
      assert.ok((await ack(b1, 'whoami')).rooms.includes('joined-2'));

      const gone = new Promise((resolve) => b1.once('disconnect', resolve));
      await A.ctl('disconnectSockets', { rooms: ['grp'], close: false });
      assert.equal(await gone, 'io server disconnect');
      assert.ok(b2.connected && a1.connected);

      // close ends the whole connection: every namespace multiplexed on it goes.
      const m = await connect(B);
      const chat = m.io.socket('/chat', { auth: { label: label('chat') } });
      sockets.push(chat);
      await new Promise((resolve) => (chat.connected ? resolve() : chat.once('connect', resolve)));
      await ack(m, 'join', 'kick');
      const chatGone = new Promise((resolve) => chat.once('disconnect', resolve));
      const mGone = new Promise((resolve) => m.once('disconnect', resolve));
      await A.ctl('disconnectSockets', { rooms: ['kick'], close: true });
      assert.equal(await mGone, 'io server disconnect');
      assert.equal(await chatGone, 'io server disconnect');
      assert.ok(b2.connected, 'other connections stay');
    });

    test('serverSideEmit with and without acks, in both namespaces', async () => {
      for (const nsp of ['/', '/chat']) {
        await A.ctl('sseLog', { nsp, clear: true });
        await B.ctl('sseLog', { nsp, clear: true });
        await A.ctl('serverSideEmit', { nsp, event: 'peer-hello', args: ['hello', 1, { x: true }] });
        const log = await eventually('B to log peer-hello', async () => {
          const r = await B.ctl('sseLog', { nsp });
          return r.events.length > 0 && r.events;
        });
        assert.deepEqual(log, [{ event: 'peer-hello', args: ['hello', 1, { x: true }], withAck: false }]);
        const res = await B.ctl('serverSideEmitWithAck', { nsp, event: 'peer-ask', args: ['q', 42] });
        assert.equal(res.err, null);
        assert.deepEqual(res.responses, [{ node: 'A', args: ['q', 42] }]);
        assert.deepEqual((await A.ctl('sseLog', { nsp })).events, [{ event: 'peer-ask', args: ['q', 42], withAck: true }]);
        assert.deepEqual((await A.ctl('sseLog', { nsp })).events.filter((e) => e.event === 'peer-hello'), [],
          'a node never runs its own serverSideEmit');
      }
    });

    test('broadcast with acks gathers the replies of both nodes, and times out', async () => {
      const a1 = await connect(A); const b1 = await connect(B); const b2 = await connect(B);
      for (const [s, who] of [[a1, 'a1'], [b1, 'b1'], [b2, 'b2']]) s.on('question', (q, cb) => cb({ who, q }));
      for (const from of [A, B]) {
        const res = await from.ctl('emitWithAck', { event: 'question', args: ['q1'], timeout: 3000 });
        assert.equal(res.err, null);
        assert.deepEqual(res.responses.map((r) => r.who).sort(), ['a1', 'b1', 'b2']);
        assert.ok(res.responses.every((r) => r.q === 'q1'));
      }
      const silent = await connect(B);
      silent.on('question', () => {}); // never answers
      const res = await A.ctl('emitWithAck', { event: 'question', args: ['q2'], timeout: 700 });
      assert.equal(res.err, 'operation has timed out');
      assert.deepEqual(res.responses.map((r) => r.who).sort(), ['a1', 'b1', 'b2']);
      const bin = await B.ctl('emitWithAck', { event: 'question', rooms: [a1.id], args: [Buffer.from('x')], timeout: 3000 });
      assert.equal(bin.err, null);
      assert.equal(bin.responses.length, 1);
      assert.ok(Buffer.isBuffer(bin.responses[0].q));
    });

    test('allRooms lists the rooms of both nodes', { skip: SHARDED && 'the sharded protocol has no allRooms request' }, async () => {
      const a1 = await connect(A); const b1 = await connect(B);
      await ack(a1, 'join', 'room-on-a'); await ack(b1, 'join', 'room-on-b');
      for (const from of [A, B]) {
        const res = await from.ctl('allRooms', { nsp: '/' });
        assert.equal(res.ok, true, res.error);
        for (const room of ['room-on-a', 'room-on-b', a1.id, b1.id]) assert.ok(res.rooms.includes(room), room);
      }
    });

    for (const kind of ['node', 'plugboard']) {
      test(`${kind === 'node' ? 'Node\'s @socket.io/redis-emitter' : 'Plugboard\'s Redis::Emitter'} reaches both nodes`,
        { skip: SHARDED && 'the emitters publish on the classic channels' }, async () => {
        const a1 = await connect(A); const b1 = await connect(B); const c1 = await connect(B, '/chat');
        await ack(a1, 'join', 'em-room'); await ack(c1, 'join', 'em-room');
        const em = kind === 'node' ? await nodeEmitter(redis) : await plugboardEmitter(redis);
        const send = kind === 'node'
          ? {
            emit: (o) => {
              let e = o.nsp ? em.of(o.nsp) : em;
              if (o.rooms) e = e.to(o.rooms);
              if (o.except) e = e.except(o.except);
              if (o.args.some(Buffer.isBuffer) || true) e.emit(o.event, ...o.args);
            },
            socketsJoin: (o) => em.in(o.rooms).socketsJoin(o.join),
            socketsLeave: (o) => em.in(o.rooms).socketsLeave(o.leave),
            disconnectSockets: (o) => em.in(o.rooms).disconnectSockets(o.close),
            serverSideEmit: (o) => em.serverSideEmit(o.event, ...o.args),
          }
          : Object.fromEntries(['emit', 'socketsJoin', 'socketsLeave', 'disconnectSockets', 'serverSideEmit'].map((op) => [op,
            async (o) => {
              const args = (o.args || []).map((a) => (Buffer.isBuffer(a) ? { $bin: a.toString('hex') } : a));
              assert.deepEqual(await em.send({ op, ...o, args }), { ok: true });
            }]));
        try {
          const all = [a1, b1].map((s) => recorder(s, 'em-all'));
          await send.emit({ event: 'em-all', args: ['x', Buffer.from([1, 2])] });
          for (const r of all) {
            const [[x, bin]] = await r.next();
            assert.equal(x, 'x');
            assert.deepEqual([...bin], [1, 2]);
          }
          const room = [a1, b1, c1].map((s) => recorder(s, 'em-room'));
          await send.emit({ event: 'em-room', rooms: ['em-room'], args: [1] });
          await room[0].next();
          const chat = recorder(c1, 'em-chat');
          await send.emit({ nsp: '/chat', event: 'em-chat', rooms: ['em-room'], args: [2] });
          await chat.next();
          assert.equal(room[2].seen.length, 0, 'a broadcast to / does not reach /chat');
          const except = [a1, b1].map((s) => recorder(s, 'em-except'));
          await send.emit({ event: 'em-except', except: ['em-room'], args: [] });
          await except[1].next();
          await fence(A, a1);
          assert.equal(except[0].seen.length, 0);
          assert.equal(room[1].seen.length, 0);

          await send.socketsJoin({ rooms: ['em-room'], join: ['em-joined'] });
          await eventually('a1 to join em-joined', async () => (await ack(a1, 'whoami')).rooms.includes('em-joined'));
          await send.socketsLeave({ rooms: ['em-joined'], leave: ['em-room'] });
          await eventually('a1 to leave em-room', async () => !(await ack(a1, 'whoami')).rooms.includes('em-room'));

          await A.ctl('sseLog', { clear: true }); await B.ctl('sseLog', { clear: true });
          await send.serverSideEmit({ event: 'peer-hello', args: ['from-emitter', { n: 1 }] });
          for (const node of [A, B]) {
            const events = await eventually('peer-hello to be logged', async () => {
              const r = await node.ctl('sseLog', {});
              return r.events.length > 0 && r.events;
            });
            assert.deepEqual(events, [{ event: 'peer-hello', args: ['from-emitter', { n: 1 }], withAck: false }]);
          }

          await ack(b1, 'join', 'em-kick');
          const gone = new Promise((resolve) => b1.once('disconnect', resolve));
          await send.disconnectSockets({ rooms: ['em-kick'], close: false });
          assert.equal(await gone, 'io server disconnect');
        } finally {
          await em.close();
        }
      });
    }

    test('hostile messages on the channels are ignored and the cluster goes on', async () => {
      const b1 = await connect(B); const a1 = await connect(A);
      const junk = [
        Buffer.from([0xc1]), Buffer.from('{"type":'), Buffer.from([0xdd, 0xff, 0xff, 0xff, 0xff]),
        Buffer.from([0x93, 0xa1, 0x78, 0xc0, 0xc0]), Buffer.from(JSON.stringify({ uid: 'x', requestId: 'nope', type: 42 })),
        Buffer.from(JSON.stringify({ requestId: 'unknown', sockets: [1, 2, 3] })),
        Buffer.from(JSON.stringify({ uid: 'x', type: 5, requestId: 'r', opts: 'garbage' })),
        Buffer.concat([Buffer.from([0x93, 0xa1, 0x78, 0x83, 0xa4]), Buffer.from('type'), Buffer.from([0x02, 0xa4]), Buffer.from('data'), Buffer.from([0xdd, 0x7f, 0xff, 0xff, 0xff])]),
      ];
      // Node's adapters survive only some garbage: a classic node anything on its request and
      // response channels, a sharded node undecodable bytes; the rest throws out of their
      // message handlers and ends the process. Plugboard nodes get everything.
      const onlyPlugboard = kindA === 'plugboard' && kindB === 'plugboard';
      if (SHARDED) {
        const uids = [A, B].map((n) => n.info.uids['/']);
        const channels = ['socket.io#/#', 'socket.io#/chat#', ...uids.map((u) => `socket.io#/#${u}#`)];
        for (const payload of onlyPlugboard ? junk : junk.slice(0, 2)) {
          for (const channel of channels) await redis.spublish(channel, payload);
        }
      } else {
        const channels = ['socket.io-request#/#', 'socket.io-response#/#', 'socket.io-request#/chat#'];
        if (onlyPlugboard) channels.push('socket.io#/#', 'socket.io#/chat#', 'socket.io#/#room#');
        for (const payload of junk) {
          for (const channel of channels) await redis.publish(channel, payload);
        }
      }
      const got = recorder(b1, 'after-junk');
      await A.ctl('emit', { event: 'after-junk', args: ['fine'] });
      assert.deepEqual((await got.next())[0], ['fine']);
      assert.equal((await B.ctl('fetchSockets', {})).ok, true);
      assert.ok(a1.connected);
    });

    test('a node that vanishes mid-request: timeout errors, never a hang', async () => {
      B.pause();
      try {
        const started = Date.now();
        const [fetch, rooms, sse] = await Promise.all([
          A.ctl('fetchSockets', {}), SHARDED ? null : A.ctl('allRooms', { nsp: '/' }),
          A.ctl('serverSideEmitWithAck', { event: 'peer-ask', args: [1] }),
        ]);
        assert.equal(fetch.ok, false);
        // Node's sharded adapter has no requestsTimeout: its requests wait 5 s.
        assert.equal(fetch.error, SHARDED ? 'timeout reached: only 0 responses received out of 1'
          : 'timeout reached while waiting for fetchSockets response');
        if (!SHARDED) {
          assert.equal(rooms.ok, false);
          assert.equal(rooms.error, 'timeout reached while waiting for allRooms response');
        }
        assert.match(sse.err, /^timeout reached: only 0 responses received out of 1$/);
        const elapsed = Date.now() - started;
        const limit = SHARDED && kindA === 'node' ? 5000 : REQUESTS_TIMEOUT_MS;
        assert.ok(elapsed >= REQUESTS_TIMEOUT_MS - 100 && elapsed < limit + 3000, `${elapsed} ms`);
      } finally {
        B.resume();
      }
      assert.equal((await A.ctl('fetchSockets', {})).ok, true);
    });

    test('Redis restarted: local delivery goes on, then the cluster joins up again', async () => {
      const a1 = await connect(A); const a2 = await connect(A); const b1 = await connect(B);
      await redis.stop();
      try {
        // Node's sharded adapter holds a broadcast until Redis has taken it, so its own
        // clients get nothing while Redis is away; the classic one and Plugboard deliver.
        if (!(SHARDED && kindA === 'node')) {
          const local = recorder(a2, 'while-down');
          assert.equal(await ack(a1, 'relay', { event: 'while-down', args: [1] }), 'ok');
          assert.deepEqual((await local.next())[0], [1]);
        }
      } finally {
        await redis.restart();
      }
      await clusterReady(redis);
      await eventually('cross-node delivery again', async () => {
        const event = label('after-restart');
        const r = recorder(b1, event);
        await A.ctl('emit', { event, args: [] });
        try { await r.next(1, 300); return true; } catch { return false; }
      }, { withinMs: 20000 });
      assert.equal((await B.ctl('fetchSockets', {})).ok, true);
    });

    test('node B killed and started again: the cluster works again', async () => {
      await B.kill();
      await eventually('the node count to drop to 1', async () => (await redis.nodes('/')) === 1);
      const alone = await A.ctl('fetchSockets', {});
      assert.equal(alone.ok, true);
      await B.launch();
      await clusterReady(redis);
      const b1 = await connect(B);
      const res = await A.ctl('fetchSockets', {});
      assert.ok(res.sockets.some((s) => s.id === b1.id));
    });
  });
}
