'use strict';
// plugboard-featureapp: broadcasts with acknowledgements (every reply with its socket id,
// timeout, empty audience), fetchSockets / socketsJoin / socketsLeave / disconnectSockets
// (close false/true) with room and except selectors. Each test uses a fresh dynamic
// namespace so that "everyone" means exactly the test's own sockets.
//
// The app is PLUGBOARD_FEATUREAPP (a command, like PLUGBOARD_TESTAPP); when unset, the
// plugboard-featureapp next to PLUGBOARD_TESTAPP's binary, else build/bin/plugboard-featureapp.
const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const { useServer, appCommand } = require('./lib/server');
const { once, waitFor, tracker, emitAck, emitWithAck } = require('./lib/util');
const { sioConnect, manager } = require('./lib/clients');

const srv = useServer({ command: appCommand('plugboard-featureapp', 'PLUGBOARD_FEATUREAPP') });

const whoami = (s) => emitWithAck(s, 'whoami');
let seq = 0;
const dynName = () => `/dyn-${process.pid % 1000}${++seq}`;
const byId = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** n sockets on a fresh dynamic namespace, alternating transports unless given. */
async function group(track, n, transports) {
  const nsp = dynName();
  const kinds = transports ? [transports] : [['websocket'], ['polling']];
  const sockets = await Promise.all(Array.from({ length: n }, (_, i) =>
    sioConnect(track, srv.url, nsp, { transports: kinds[i % kinds.length] })));
  return { nsp, sockets };
}

/** Makes s answer 'ack-request' with {id, label, got}. */
function answers(s, label) {
  s.on('ack-request', (payload, cb) => cb({ id: s.id, label, got: payload }));
}
const reply = (s, label, got) => ({ id: s.id, args: [{ id: s.id, label, got }] });

describe('broadcast with acknowledgements', () => {
  for (const transport of ['polling', 'websocket']) {
    test(`every member of the room answers, with its socket id (${transport})`, async (t) => {
      const track = tracker(t);
      const { sockets: [req, a, b, c, outsider] } = await group(track, 5, [transport]);
      await Promise.all([a, b, c].map((s) => emitWithAck(s, 'join', 'r')));
      answers(a, 'a'); answers(b, 'b'); answers(c, 'c');
      let outsiderAsked = false;
      outsider.on('ack-request', (p, cb) => { outsiderAsked = true; cb('no'); });
      const res = await emitWithAck(req, 'do-broadcast-with-ack', { room: 'r', timeout: 2000, payload: { q: 1 } });
      assert.deepEqual(res, {
        ok: true,
        responses: [reply(a, 'a', { q: 1 }), reply(b, 'b', { q: 1 }), reply(c, 'c', { q: 1 })].sort(byId),
      });
      await whoami(outsider);
      assert.equal(outsiderAsked, false);
    });
  }

  test('whole namespace, requester included; except removes a room', async (t) => {
    const track = tracker(t);
    const { sockets } = await group(track, 4);
    const [req, a, b, c] = sockets;
    sockets.forEach((s, i) => answers(s, `s${i}`));
    const all = await emitWithAck(req, 'do-broadcast-with-ack', { timeout: 2000, payload: 'all' });
    assert.deepEqual(all, { ok: true, responses: sockets.map((s, i) => reply(s, `s${i}`, 'all')).sort(byId) });

    await emitWithAck(b, 'join', 'muted');
    const some = await emitWithAck(req, 'do-broadcast-with-ack', { except: ['muted', req.id], timeout: 2000, payload: 'x' });
    assert.deepEqual(some, { ok: true, responses: [reply(a, 's1', 'x'), reply(c, 's3', 'x')].sort(byId) });
  });

  test('timeout: the replies received so far, and "operation has timed out"', async (t) => {
    const track = tracker(t);
    const { sockets: [req, a, silent] } = await group(track, 3);
    await Promise.all([a, silent].map((s) => emitWithAck(s, 'join', 'r')));
    answers(a, 'a');
    let silentAsked = null;
    silent.on('ack-request', (payload) => { silentAsked = payload; }); // never answers
    const started = Date.now();
    const [res] = await emitAck(req, 'do-broadcast-with-ack', [{ room: 'r', timeout: 300, payload: 'p' }], 1500);
    assert.deepEqual(res, { ok: false, error: 'operation has timed out', responses: [reply(a, 'a', 'p')] });
    assert.ok(Date.now() - started >= 250, 'not before the timeout');
    assert.equal(silentAsked, 'p');
  });

  test('a recipient that disconnects without answering: timeout with the other replies', async (t) => {
    const track = tracker(t);
    const { sockets: [req, a, leaver] } = await group(track, 3, ['websocket']);
    await Promise.all([a, leaver].map((s) => emitWithAck(s, 'join', 'r')));
    answers(a, 'a');
    leaver.on('ack-request', () => leaver.disconnect());
    const [res] = await emitAck(req, 'do-broadcast-with-ack', [{ room: 'r', timeout: 500, payload: 'p' }], 2000);
    assert.deepEqual(res, { ok: false, error: 'operation has timed out', responses: [reply(a, 'a', 'p')] });
  });

  test('no recipient: completes at once with no replies', async (t) => {
    const track = tracker(t);
    const { sockets: [req] } = await group(track, 1);
    const [res] = await emitAck(req, 'do-broadcast-with-ack', [{ room: 'nobody', timeout: 5000 }], 1000);
    assert.deepEqual(res, { ok: true, responses: [] });
  });
});

describe('fetchSockets, socketsJoin, socketsLeave', () => {
  test('fetch by room and except, with data and rooms', async (t) => {
    const track = tracker(t);
    const { nsp, sockets: [a, b, c] } = await group(track, 3);
    await emitWithAck(a, 'join', ['x', 'y']);
    await emitWithAck(b, 'join', 'x');
    assert.deepEqual(await emitWithAck(c, 'set-data', { tag: 'c' }), { parent: 'regex', tag: 'c' });
    const describeS = (s, rooms, data = { parent: 'regex' }) => ({ id: s.id, nsp, data, rooms: [s.id, ...rooms].sort() });

    assert.deepEqual(await emitWithAck(c, 'fetch', {}),
      [describeS(a, ['x', 'y']), describeS(b, ['x']), describeS(c, [], { parent: 'regex', tag: 'c' })].sort(byId));
    assert.deepEqual(await emitWithAck(c, 'fetch', { room: 'x' }), [describeS(a, ['x', 'y']), describeS(b, ['x'])].sort(byId));
    assert.deepEqual(await emitWithAck(c, 'fetch', { room: 'x', except: 'y' }), [describeS(b, ['x'])]);
    assert.deepEqual(await emitWithAck(c, 'fetch', { room: ['y', c.id] }),
      [describeS(a, ['x', 'y']), describeS(c, [], { parent: 'regex', tag: 'c' })].sort(byId));
    assert.deepEqual(await emitWithAck(c, 'fetch', { room: 'nobody' }), []);
  });

  test('socketsJoin and socketsLeave change exactly the selected sockets', async (t) => {
    const track = tracker(t);
    const { sockets: [a, b, c] } = await group(track, 3);
    await emitWithAck(a, 'join', 'x');
    await emitWithAck(b, 'join', ['x', 'vip']);
    const rooms = async (s) => (await whoami(s)).rooms;

    assert.equal(await emitWithAck(c, 'make-join', { room: 'x', rooms: ['y', 'z'] }), 2);
    assert.deepEqual(await rooms(a), [a.id, 'x', 'y', 'z'].sort());
    assert.deepEqual(await rooms(b), [b.id, 'vip', 'x', 'y', 'z'].sort());
    assert.deepEqual(await rooms(c), [c.id]);

    assert.equal(await emitWithAck(c, 'make-leave', { room: 'y', except: 'vip', rooms: ['x', 'z', 'never-joined'] }), 1);
    assert.deepEqual(await rooms(a), [a.id, 'y'].sort());
    assert.deepEqual(await rooms(b), [b.id, 'vip', 'x', 'y', 'z'].sort());

    assert.equal(await emitWithAck(c, 'make-join', { rooms: 'everyone' }), 3);
    assert.deepEqual((await emitWithAck(c, 'fetch', { room: 'everyone' })).map((s) => s.id), [a.id, b.id, c.id].sort());
  });
});

describe('disconnectSockets', () => {
  async function observer(track) {
    const o = await sioConnect(track, srv.url, '/', { transports: ['websocket'] });
    assert.ok((await emitWithAck(o, 'join', 'observers')).includes('observers'));
    return o;
  }
  const peerGone = (o, id) => waitFor(o, 'peer-disconnect', (e) => e && e.id === id, undefined, `peer-disconnect ${id}`);

  /** Two clients, each with a socket on / and on nsp (one Manager each), plus a requester on nsp. */
  async function setup(track, transport) {
    const nsp = dynName();
    const pair = async () => {
      const m = manager(track, srv.url, { transports: [transport], reconnection: false });
      const root = track(m.socket('/'));
      const dyn = track(m.socket(nsp));
      await Promise.all([root, dyn].map((s) => once(s, 'connect', undefined, { failOn: ['connect_error'] })));
      return { m, root, dyn, engineId: m.engine.id };
    };
    const [p1, p2] = await Promise.all([pair(), pair()]);
    const req = await sioConnect(track, srv.url, nsp, { transports: [transport] });
    await Promise.all([emitWithAck(p1.dyn, 'join', 'kick'), emitWithAck(p2.dyn, 'join', 'kick')]);
    return { nsp, p1, p2, req };
  }

  for (const transport of ['polling', 'websocket']) {
    test(`close=false: the room's sockets leave this namespace only (${transport})`, async (t) => {
      const track = tracker(t);
      const o = await observer(track);
      const { nsp, p1, p2, req } = await setup(track, transport);
      const ids = [p1.dyn.id, p2.dyn.id];
      const gone = ids.map((id) => peerGone(o, id));
      const discs = [once(p1.dyn, 'disconnect'), once(p2.dyn, 'disconnect')];
      assert.equal(await emitWithAck(req, 'make-disconnect', { room: 'kick', close: false }), 2);
      assert.deepEqual(await Promise.all(gone), ids.map((id) => ({ nsp, id, reason: 'server namespace disconnect' })));
      assert.deepEqual((await Promise.all(discs)).map((d) => d[0]), ['io server disconnect', 'io server disconnect']);
      assert.equal(p1.dyn.active, false, 'no reconnection after a server disconnect');
      const [w1, w2] = await Promise.all([whoami(p1.root), whoami(p2.root)]);
      assert.deepEqual([w1.engineId, w2.engineId], [p1.engineId, p2.engineId], '/ keeps the same connections');
      assert.deepEqual((await emitWithAck(req, 'fetch', {})).map((s) => s.id), [req.id]);
    });

    // Over polling the close packet answers a later GET, after the DISCONNECTs (as Node).
    test(`close=true: the room's clients lose every namespace (${transport})`, async (t) => {
      const track = tracker(t);
      const o = await observer(track);
      const { nsp, p1, p2, req } = await setup(track, transport);
      const expected = [
        { nsp: '/', id: p1.root.id, reason: 'server namespace disconnect' },
        { nsp, id: p1.dyn.id, reason: 'server namespace disconnect' },
      ];
      const gone = expected.map((e) => peerGone(o, e.id));
      const discs = [once(p1.root, 'disconnect'), once(p1.dyn, 'disconnect')];
      assert.equal(await emitWithAck(req, 'make-disconnect', { room: 'kick', except: p2.dyn.id, close: true }), 1);
      assert.deepEqual(await Promise.all(gone), expected);
      assert.deepEqual((await Promise.all(discs)).map((d) => d[0]), ['io server disconnect', 'io server disconnect']);
      const [w2root, w2dyn] = await Promise.all([whoami(p2.root), whoami(p2.dyn)]);
      assert.equal(w2root.engineId, p2.engineId, 'the excepted client is untouched');
      assert.equal(w2dyn.nsp, nsp);
      assert.deepEqual((await emitWithAck(req, 'fetch', {})).map((s) => s.id), [p2.dyn.id, req.id].sort());
    });
  }

  test('the requester among the targets gets its ack first', async (t) => {
    const track = tracker(t);
    const { sockets } = await group(track, 3, ['websocket']);
    const discs = sockets.map((s) => once(s, 'disconnect'));
    assert.equal(await emitWithAck(sockets[0], 'make-disconnect', { close: false }), 3);
    assert.deepEqual((await Promise.all(discs)).map((d) => d[0]), Array(3).fill('io server disconnect'));
  });
});
