'use strict';
// Socket.IO events, acknowledgements, rooms and broadcasts.
const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const { useServer } = require('./lib/server');
const { once, waitFor, record, tracker, emitAck, emitWithAck } = require('./lib/util');
const { sioConnect } = require('./lib/clients');

const srv = useServer();

const whoami = (s) => emitWithAck(s, 'whoami');
// Server->client delivery is ordered per socket: once the ack of a request sent
// now arrives, everything the server emitted to that socket earlier has arrived.
const flush = (...sockets) => Promise.all(sockets.map(whoami));

let roomSeq = 0;
const uniqueRoom = (name) => `${name}-${process.pid}-${++roomSeq}`;

function mixedArgs() {
  return [
    1,
    'two ünïcödé ✓ with \u001e separator and "quotes"',
    { a: Buffer.from([1, 2, 3]), nested: { list: [Buffer.alloc(0), { deep: Buffer.from('xyz') }], n: null } },
    [Buffer.from([255, 0, 0x1e]), 'str', [Buffer.from('inner')]],
    true,
    { _placeholder: false, plain: 'not an attachment' },
  ];
}

describe('events and acknowledgements', () => {
  for (const transport of ['polling', 'websocket']) {
    test(`message -> message-back with mixed args and nested binary (${transport})`, async (t) => {
      const track = tracker(t);
      const s = await sioConnect(track, srv.url, '/', { transports: [transport] });
      const back = once(s, 'message-back');
      s.emit('message', ...mixedArgs());
      const args = await back;
      assert.deepEqual(args, mixedArgs());
      assert.ok(Buffer.isBuffer(args[2].a), 'binary comes back as binary');
      assert.equal(args[2].nested.list[0].length, 0, 'empty buffer');
    });

    test(`message-with-ack with binary (${transport})`, async (t) => {
      const track = tracker(t);
      const s = await sioConnect(track, srv.url, '/custom', { transports: [transport] });
      assert.deepEqual(await emitAck(s, 'message-with-ack', mixedArgs()), mixedArgs());
      assert.deepEqual(await emitAck(s, 'message-with-ack', ['text only', { k: [1, 2] }]),
        ['text only', { k: [1, 2] }]);
      assert.deepEqual(await emitAck(s, 'message-with-ack', []), [], 'empty ack');
    });
  }

  test('several messages arrive in order', async (t) => {
    const track = tracker(t);
    const s = await sioConnect(track, srv.url, '/');
    const rec = record(s, 'message-back');
    for (let i = 0; i < 100; i++) s.emit('message', i % 3 === 0 ? Buffer.from([i]) : i);
    await flush(s);
    const seen = rec.stop();
    assert.equal(seen.length, 100);
    seen.forEach((v, i) => assert.deepEqual(v, i % 3 === 0 ? Buffer.from([i]) : i, `message ${i}`));
  });

  test('200 concurrent acks are matched to their requests', async (t) => {
    const track = tracker(t);
    const s = await sioConnect(track, srv.url, '/');
    const N = 200;
    const results = await Promise.all(Array.from({ length: N }, (_, i) =>
      emitAck(s, 'message-with-ack', i % 2 ? [i, { b: Buffer.from([i & 0xff]) }] : [i, `s${i}`], 5000)));
    results.forEach((r, i) =>
      assert.deepEqual(r, i % 2 ? [i, { b: Buffer.from([i & 0xff]) }] : [i, `s${i}`], `ack ${i}`));
  });

  test('unknown event is never acknowledged, connection stays usable', async (t) => {
    const track = tracker(t);
    const s = await sioConnect(track, srv.url, '/');
    await assert.rejects(emitAck(s, 'no-such-event', [1], 700), /no ack/);
    const me = await whoami(s);
    assert.equal(me.id, s.id);
  });

  test('ask: server question answered by the client', async (t) => {
    const track = tracker(t);
    const s = await sioConnect(track, srv.url, '/');
    s.on('question', (payload, cb) => cb({ echo: payload, bin: Buffer.from([7]) }, 'ignored-second-arg'));
    const res = await emitWithAck(s, 'ask', { q: 'life' });
    assert.deepEqual(res, { ok: true, answer: { echo: { q: 'life' }, bin: Buffer.from([7]) } });
  });

  test('ask: unanswered question times out on the server', async (t) => {
    const track = tracker(t);
    const s = await sioConnect(track, srv.url, '/');
    let asked = null;
    s.on('question', (payload) => { asked = payload; }); // never calls the ack
    const t0 = Date.now();
    const res = await emitWithAck(s, 'ask', 'hello?');
    const elapsed = Date.now() - t0;
    assert.equal(asked, 'hello?', 'question was delivered');
    assert.deepEqual(res, { ok: false, error: 'timeout' });
    assert.ok(elapsed >= 400, `timed out after ${elapsed} ms, expected ~500 ms`);
  });

  for (const transport of ['polling', 'websocket']) {
    test(`volatile-burst: ordered, no duplicates, then volatile-done (${transport})`, async (t) => {
      const track = tracker(t);
      const s = await sioConnect(track, srv.url, '/', { transports: [transport] });
      const N = 300;
      const ticks = record(s, 'volatile-tick');
      const done = once(s, 'volatile-done');
      s.emit('volatile-burst', N);
      const [n] = await done;
      const seen = ticks.stop();
      assert.equal(n, N);
      for (let i = 0; i < seen.length; i++) {
        assert.ok(Number.isInteger(seen[i]) && seen[i] >= 0 && seen[i] < N, `tick value ${seen[i]}`);
        if (i > 0) assert.ok(seen[i] > seen[i - 1], `ticks strictly increasing at ${i}: ${seen[i - 1]}, ${seen[i]}`);
      }
      t.diagnostic(`${seen.length}/${N} volatile ticks delivered`);
    });
  }
});

describe('rooms', () => {
  test('join / leave acks carry the sorted room list', async (t) => {
    const track = tracker(t);
    const s = await sioConnect(track, srv.url, '/');
    assert.deepEqual(await emitWithAck(s, 'join', 'b-room'), [s.id, 'b-room'].sort());
    assert.deepEqual(await emitWithAck(s, 'join', ['c-room', 'a-room']), [s.id, 'a-room', 'b-room', 'c-room'].sort());
    assert.deepEqual(await emitWithAck(s, 'leave', 'b-room'), [s.id, 'a-room', 'c-room'].sort());
    assert.deepEqual(await emitWithAck(s, 'leave', 'not-a-member'), [s.id, 'a-room', 'c-room'].sort());
    assert.deepEqual((await whoami(s)).rooms, [s.id, 'a-room', 'c-room'].sort());
  });

  test('room-emit: members only, sender included, at most once per socket', async (t) => {
    const track = tracker(t);
    const [a, b, c] = await Promise.all([0, 1, 2].map(() => sioConnect(track, srv.url, '/')));
    const r1 = uniqueRoom('r1');
    const r2 = uniqueRoom('r2');
    await emitWithAck(a, 'join', r1);
    await emitWithAck(b, 'join', [r1, r2]);
    const recs = [a, b, c].map((s) => record(s, 'room-event'));
    assert.equal(await emitWithAck(a, 'room-emit', [r1, r2], { hello: Buffer.from('bin') }), 'ok');
    await flush(a, b, c);
    const [ra, rb, rc] = recs.map((r) => r.stop());
    const expected = { room: [r1, r2], from: a.id, payload: { hello: Buffer.from('bin') } };
    assert.deepEqual(ra, [expected], 'sender is a member: exactly once');
    assert.deepEqual(rb, [expected], 'member of both rooms: exactly once');
    assert.deepEqual(rc, [], 'non-member gets nothing');
  });

  test('room-emit from a non-member reaches the members only', async (t) => {
    const track = tracker(t);
    const [a, b] = await Promise.all([0, 1].map(() => sioConnect(track, srv.url, '/')));
    const r = uniqueRoom('solo');
    await emitWithAck(b, 'join', r);
    const recs = [a, b].map((s) => record(s, 'room-event'));
    assert.equal(await emitWithAck(a, 'room-emit', r, 'x'), 'ok');
    await flush(a, b);
    const [ra, rb] = recs.map((x) => x.stop());
    assert.deepEqual(ra, []);
    assert.deepEqual(rb, [{ room: r, from: a.id, payload: 'x' }]);
  });

  test('room-broadcast never reaches the sender', async (t) => {
    const track = tracker(t);
    const [a, b, c] = await Promise.all([0, 1, 2].map(() => sioConnect(track, srv.url, '/')));
    const r1 = uniqueRoom('rb1');
    const r2 = uniqueRoom('rb2');
    await emitWithAck(a, 'join', [r1, r2]);
    await emitWithAck(b, 'join', [r1, r2]);
    const recs = [a, b, c].map((s) => record(s, 'room-event'));
    assert.equal(await emitWithAck(a, 'room-broadcast', [r1, r2], 42), 'ok');
    await flush(a, b, c);
    const [ra, rb, rc] = recs.map((r) => r.stop());
    assert.deepEqual(ra, [], 'sender excluded');
    assert.deepEqual(rb, [{ room: [r1, r2], from: a.id, payload: 42 }], 'member: exactly once');
    assert.deepEqual(rc, []);
  });

  test('private message through the socket-id room', async (t) => {
    const track = tracker(t);
    const [a, b, c] = await Promise.all([0, 1, 2].map(() => sioConnect(track, srv.url, '/')));
    const recs = [a, b, c].map((s) => record(s, 'room-event'));
    assert.equal(await emitWithAck(a, 'room-emit', b.id, 'psst'), 'ok');
    await flush(a, b, c);
    const [ra, rb, rc] = recs.map((r) => r.stop());
    assert.deepEqual(rb, [{ room: b.id, from: a.id, payload: 'psst' }]);
    assert.deepEqual(ra, []);
    assert.deepEqual(rc, []);
  });

  test('broadcast reaches every other socket of the namespace only', async (t) => {
    const track = tracker(t);
    const [a, b, c] = await Promise.all([0, 1, 2].map(() => sioConnect(track, srv.url, '/')));
    const other = await sioConnect(track, srv.url, '/custom');
    const recs = [a, b, c, other].map((s) => record(s, 'broadcast-event'));
    const payload = { n: 1, bin: Buffer.from([1, 2]) };
    assert.equal(await emitWithAck(a, 'broadcast', payload), 'ok');
    // b and c may see broadcasts of other tests' sockets too: look for ours
    const ours = (list) => list.filter((e) => e && e.from === a.id);
    await flush(a, b, c, other);
    const [ra, rb, rc, ro] = recs.map((r) => r.stop());
    assert.deepEqual(ra, [], 'sender excluded');
    assert.deepEqual(ours(rb), [{ from: a.id, payload }]);
    assert.deepEqual(ours(rc), [{ from: a.id, payload }]);
    assert.deepEqual(ro, [], 'other namespace unaffected');
  });

  test('room events of /custom stay in /custom', async (t) => {
    const track = tracker(t);
    const rootMember = await sioConnect(track, srv.url, '/');
    const [customA, customB] = await Promise.all([0, 1].map(() => sioConnect(track, srv.url, '/custom')));
    const r = uniqueRoom('ns');
    await emitWithAck(rootMember, 'join', r);
    await emitWithAck(customB, 'join', r);
    const recRoot = record(rootMember, 'room-event');
    const got = waitFor(customB, 'room-event', (e) => e.payload === 'custom-only');
    assert.equal(await emitWithAck(customA, 'room-emit', r, 'custom-only'), 'ok');
    assert.equal((await got).from, customA.id);
    await flush(rootMember);
    assert.deepEqual(recRoot.stop(), []);
  });
});
