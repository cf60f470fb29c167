'use strict';
// plugboard-featureapp: dynamic namespaces (regex, predicate), parent-namespace emits,
// cleanupEmptyChildNamespaces, namespace middlewares (refusal message + data, async chain),
// socket.data set by a middleware and seen through fetchSockets.
//
// The app is PLUGBOARD_FEATUREAPP (a command, like PLUGBOARD_TESTAPP); when unset, the
// plugboard-featureapp next to PLUGBOARD_TESTAPP's binary, else build/bin/plugboard-featureapp.
const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const { useServer, appCommand } = require('./lib/server');
const { once, waitFor, record, tracker, emitWithAck } = require('./lib/util');
const { sio, sioConnect, manager } = require('./lib/clients');

// srv.url: cleanupEmptyChildNamespaces off; srv.recoveryUrl: the second instance, with it on.
const srv = useServer({ recovery: true, command: appCommand('plugboard-featureapp', 'PLUGBOARD_FEATUREAPP') });

const whoami = (s) => emitWithAck(s, 'whoami');
let seq = 0;
const unique = (name) => `${name}-${process.pid % 1000}${++seq}`;
const dynName = () => `/dyn-${process.pid % 1000}${++seq}`;

async function refusal(track, url, nsp, opts) {
  const s = sio(track, url, nsp, { reconnection: false, ...opts });
  const [err] = await once(s, 'connect_error', undefined, { failOn: ['connect'], what: `connect_error on ${nsp}` });
  assert.equal(s.connected, false);
  return err;
}

async function observer(track, url) {
  const o = await sioConnect(track, url, '/', { transports: ['websocket'] });
  assert.ok((await emitWithAck(o, 'join', 'observers')).includes('observers'));
  return o;
}

describe('dynamic namespaces', () => {
  for (const transport of ['polling', 'websocket']) {
    test(`regex /^\\/dyn-\\d+$/ creates a child with the parent's middleware (${transport})`, async (t) => {
      const track = tracker(t);
      const name = dynName();
      const s = await sioConnect(track, srv.url, name, { transports: [transport], auth: { user: 'ann' } });
      const me = await whoami(s);
      assert.equal(me.nsp, name);
      assert.equal(me.id, s.id);
      assert.notEqual(me.id, me.engineId, 'socket id differs from the Engine.IO sid');
      assert.equal(me.transport, transport);
      assert.deepEqual(me.data, { parent: 'regex' }, 'only the parent middleware ran (not the main one)');
      assert.deepEqual(me.rooms, [s.id]);
      assert.deepEqual(me.auth, { user: 'ann' });
    });
  }

  for (const name of ['/dyn-', '/dyn-x', '/dyn-12a', '/xdyn-1', '/dyn-1/sub', '/_0', '/_1']) {
    test(`${name} matches no parent -> "Invalid namespace"`, async (t) => {
      const track = tracker(t);
      const err = await refusal(track, srv.url, name, { transports: ['websocket'] });
      assert.equal(err.message, 'Invalid namespace');
      assert.equal(err.data, undefined);
    });
  }

  test('predicate namespace: name and auth decide', async (t) => {
    const track = tracker(t);
    const org = unique('acme');
    const refused = await refusal(track, srv.url, `/org-${org}`, { auth: { org: 'someone-else' } });
    assert.equal(refused.message, 'Invalid namespace');
    const noAuth = await refusal(track, srv.url, `/org-${org}`, { transports: ['websocket'] });
    assert.equal(noAuth.message, 'Invalid namespace');

    const s = await sioConnect(track, srv.url, `/org-${org}`, { auth: { org } });
    const me = await whoami(s);
    assert.equal(me.nsp, `/org-${org}`);
    assert.deepEqual(me.data, { parent: 'predicate' });

    // Node: once the child exists it is used as is; the predicate is not asked again.
    const late = await sioConnect(track, srv.url, `/org-${org}`, { auth: { org: 'someone-else' } });
    assert.deepEqual((await whoami(late)).data, { parent: 'predicate' });
  });

  test('parent emit reaches every child of that parent only', async (t) => {
    const track = tracker(t);
    const [n1, n2] = [dynName(), dynName()];
    const org = unique('o');
    const m = manager(track, srv.url, { transports: ['websocket'] });
    const root = track(m.socket('/'));
    const c1 = track(m.socket(n1));
    const c2 = sio(track, srv.url, n2);
    const other = track(m.socket(`/org-${org}`, { auth: { org } }));
    await Promise.all([root, c1, c2, other].map((s) => once(s, 'connect', undefined, { failOn: ['connect_error'] })));
    const otherSeen = record(other, 'to-children');
    const rootSeen = record(root, 'to-children');
    const got = [once(c1, 'to-children'), once(c2, 'to-children')];
    const children = await emitWithAck(root, 'parent-emit', { parent: 'regex', event: 'to-children', payload: { n: 7 } });
    assert.ok(children.includes(n1) && children.includes(n2), `children: ${children}`);
    assert.ok(!children.includes(`/org-${org}`));
    assert.deepEqual(await Promise.all(got), [[{ n: 7 }], [{ n: 7 }]]);
    await Promise.all([whoami(other), whoami(root)]);
    assert.deepEqual(otherSeen.stop(), [], 'a predicate child is not a child of the regex parent');
    assert.deepEqual(rootSeen.stop(), []);

    const orgSeen = once(other, 'to-orgs');
    const orgChildren = await emitWithAck(root, 'parent-emit', { parent: 'predicate', event: 'to-orgs', payload: 1 });
    assert.ok(orgChildren.includes(`/org-${org}`));
    assert.deepEqual(await orgSeen, [1]);
  });

  test('parent.to(room).emit reaches the room members of every child', async (t) => {
    const track = tracker(t);
    const [n1, n2] = [dynName(), dynName()];
    const room = unique('vip');
    const root = await sioConnect(track, srv.url, '/');
    const [a, b, c] = await Promise.all([
      sioConnect(track, srv.url, n1), sioConnect(track, srv.url, n2), sioConnect(track, srv.url, n1)]);
    await Promise.all([emitWithAck(a, 'join', room), emitWithAck(b, 'join', room)]);
    const cSeen = record(c, 'vip-news');
    const got = [once(a, 'vip-news', 1500), once(b, 'vip-news', 1500)];
    await emitWithAck(root, 'parent-emit', { parent: 'regex', room, event: 'vip-news', payload: 'hi' });
    assert.deepEqual(await Promise.all(got), [['hi'], ['hi']]);
    await whoami(c);
    assert.deepEqual(cSeen.stop(), [], 'not in the room');
  });

  test('cleanupEmptyChildNamespaces: the child goes away with its last socket, and comes back', async (t) => {
    const track = tracker(t);
    const o = await observer(track, srv.recoveryUrl);
    const name = dynName();
    const created = waitFor(o, 'namespace-created', (n) => n === name, undefined, `namespace-created ${name}`);
    const a = await sioConnect(track, srv.recoveryUrl, name);
    const b = await sioConnect(track, srv.recoveryUrl, name);
    await created;
    assert.ok((await emitWithAck(o, 'namespaces')).includes(name));

    const removedEvents = record(o, 'namespace-removed');
    const aId = a.id;
    const aGone = waitFor(o, 'peer-disconnect', (e) => e.id === aId, undefined, 'a gone');
    a.disconnect();
    await aGone;
    assert.ok((await emitWithAck(o, 'namespaces')).includes(name), 'b still uses it');

    const removed = waitFor(o, 'namespace-removed', (n) => n === name, undefined, `namespace-removed ${name}`);
    b.disconnect();
    await removed;
    assert.deepEqual(removedEvents.stop().filter((n) => n === name), [name], 'removed once, after the last socket');
    assert.ok(!(await emitWithAck(o, 'namespaces')).includes(name));

    const recreated = waitFor(o, 'namespace-created', (n) => n === name, undefined, `namespace-created again ${name}`);
    const again = await sioConnect(track, srv.recoveryUrl, name);
    await recreated;
    assert.equal((await whoami(again)).nsp, name);
  });

  test('without cleanupEmptyChildNamespaces the child stays', async (t) => {
    const track = tracker(t);
    const o = await observer(track, srv.url);
    const name = dynName();
    const a = await sioConnect(track, srv.url, name);
    const removedEvents = record(o, 'namespace-removed');
    const aId = a.id;
    const gone = waitFor(o, 'peer-disconnect', (e) => e.id === aId, undefined, 'a gone');
    a.disconnect();
    assert.deepEqual(await gone, { nsp: name, id: aId, reason: 'client namespace disconnect' });
    assert.ok((await emitWithAck(o, 'namespaces')).includes(name));
    assert.deepEqual(removedEvents.stop(), []);
  });
});

describe('namespace middlewares', () => {
  const rows = [
    ['no data', { token: 'bad' }, 'not allowed', undefined],
    ['object data', { message: 'nope', data: { code: 4001, hint: 'send token ok' } }, 'nope', { code: 4001, hint: 'send token ok' }],
    ['null data', { message: 'null', data: null }, 'null', null],
    ['zero data', { message: 'zero', data: 0 }, 'zero', 0],
    ['string data', { data: 'why' }, 'not allowed', 'why'],
    ['array data', { data: [1, 'two', { three: 3 }] }, 'not allowed', [1, 'two', { three: 3 }]],
    ['unicode message', { message: 'nein ✗ "quoted"' }, 'nein ✗ "quoted"', undefined],
  ];
  for (const [label, auth, message, data] of rows) {
    test(`refusal with message + data: ${label}`, async (t) => {
      const track = tracker(t);
      const err = await refusal(track, srv.url, '/mw', { auth, transports: ['websocket'] });
      assert.equal(err.message, message);
      assert.deepEqual(err.data, data);
    });
  }

  for (const transport of ['polling', 'websocket']) {
    test(`refusal leaves the connection and other namespaces alone (${transport})`, async (t) => {
      const track = tracker(t);
      const m = manager(track, srv.url, { transports: [transport] });
      const root = track(m.socket('/'));
      await once(root, 'connect', undefined, { failOn: ['connect_error'] });
      const engineId = m.engine.id;
      const bad = track(m.socket('/mw', { auth: { data: { e: 1 } } }));
      const [err] = await once(bad, 'connect_error', undefined, { failOn: ['connect'] });
      assert.deepEqual([err.message, err.data], ['not allowed', { e: 1 }]);
      const me = await whoami(root);
      assert.equal(me.engineId, engineId);
      assert.equal(root.connected, true);
    });

    test(`async middleware chain admits and sets socket.data (${transport})`, async (t) => {
      const track = tracker(t);
      const s = await sioConnect(track, srv.url, '/mw', { transports: [transport], auth: { token: 'ok' } });
      const me = await whoami(s);
      assert.equal(me.nsp, '/mw');
      assert.deepEqual(me.data, { checked: true });
    });
  }

  test('a refused namespace can be retried on the same connection', async (t) => {
    const track = tracker(t);
    const m = manager(track, srv.url, { transports: ['websocket'], reconnection: false });
    const root = track(m.socket('/'));
    await once(root, 'connect', undefined, { failOn: ['connect_error'] });
    const engineId = m.engine.id;
    const s = track(m.socket('/mw', { auth: { token: 'bad' } }));
    const [err] = await once(s, 'connect_error', undefined, { failOn: ['connect'] });
    assert.equal(err.message, 'not allowed');
    let rootLost = 'no';
    root.on('disconnect', (reason) => { rootLost = reason; });
    s.auth = { token: 'ok' };
    s.connect();
    await once(s, 'connect', 1500, { failOn: ['connect_error'], what: 'connect after retry' })
      .catch((e) => { throw new Error(`${e.message} (the / socket lost its connection: ${rootLost})`); });
    const [me, meRoot] = await Promise.all([whoami(s), whoami(root)]);
    assert.equal(me.engineId, engineId, 'same Engine.IO session');
    assert.equal(meRoot.engineId, engineId);
    assert.deepEqual(me.data, { checked: true });
  });

  test('socket.data set by the main middleware is visible through fetchSockets', async (t) => {
    const track = tracker(t);
    const room = unique('data');
    const [ann, bob, anon] = await Promise.all([
      sioConnect(track, srv.url, '/', { auth: { user: 'ann' } }),
      sioConnect(track, srv.url, '/', { auth: { user: 'bob' }, transports: ['polling'] }),
      sioConnect(track, srv.url, '/', { transports: ['websocket'] }),
    ]);
    await Promise.all([ann, bob, anon].map((s) => emitWithAck(s, 'join', room)));
    assert.deepEqual(await emitWithAck(bob, 'set-data', { score: 3 }), { user: 'bob', via: 'middleware', score: 3 });
    const fetched = await emitWithAck(ann, 'fetch', { room });
    const expected = [
      { id: ann.id, nsp: '/', data: { user: 'ann', via: 'middleware' }, rooms: [ann.id, room].sort() },
      { id: bob.id, nsp: '/', data: { user: 'bob', via: 'middleware', score: 3 }, rooms: [bob.id, room].sort() },
      { id: anon.id, nsp: '/', data: { user: 'anon', via: 'middleware' }, rooms: [anon.id, room].sort() },
    ].sort((x, y) => (x.id < y.id ? -1 : 1));
    assert.deepEqual(fetched, expected);
  });
});
