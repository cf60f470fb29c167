'use strict';
// The @socket.io/admin-ui wire protocol (docs: /work/shared/docs/admin-protocol.md), the same
// scenarios against two servers:
//   - Node: socket.io 4.8.4 instrumented with the real instrument() of @socket.io/admin-ui
//     0.5.1 (servers/node-admin-server.js), the reference;
//   - Plugboard: `plugboard --headless` (PLUGBOARD_BIN) with the service's `admin` block,
//     which takes instrument()'s option names.
// The observer connects the way the official UI does (lib/admin.js). Waits are on events,
// each with a timeout; absence is asserted only after a sync point that proves the server
// already handled what would have caused the event.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const os = require('node:os');
const path = require('node:path');
const bcrypt = require('bcryptjs');
const { connectAdmin } = require('./lib/admin');
const { sioConnect, manager } = require('./lib/clients');
const { once, tracker, withTimeout } = require('./lib/util');
const { request } = require('./lib/rawhttp');
const { startServer } = require('./lib/server');
const { startHub } = require('./hub-harness');

const NODE_ADMIN_SERVER = path.join(__dirname, 'servers', 'node-admin-server.js');
const TEST_TIMEOUT_MS = 20000;
const WAIT_MS = 4000;
// server_stats comes every 2 s; a wait for "the next one" gets one period plus slack.
const STATS_WAIT_MS = 5000;
const DEV_SERVER_ID = 'admin-e2e-dev';
const PASSWORD = 'secret';
// One hash for both servers; cost 8 keeps logins quick.
const PASSWORD_HASH = bcrypt.hashSync(PASSWORD, 8);
const UI_ORIGIN = 'https://admin.socket.io';

const COMMAND_FEATURES = ['EMIT', 'JOIN', 'LEAVE', 'DISCONNECT', 'MJOIN', 'MLEAVE', 'MDISCONNECT'];
const STANDARD_FEATURES = [...COMMAND_FEATURES, 'AGGREGATED_EVENTS', 'ALL_EVENTS'];
const STREAM_EVENTS = ['all_sockets', 'socket_connected', 'socket_updated', 'socket_disconnected',
  'room_joined', 'room_left', 'event_received', 'event_sent'];
const AGGREGATED_TYPES = ['rawConnection', 'rawDisconnection', 'packetsIn', 'packetsOut', 'bytesIn', 'bytesOut'];
const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
// Date.prototype.toString(): "Thu Nov 26 2026 14:09:58 GMT+0000 (Coordinated Universal Time)"
const JS_DATE_RE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2} \d{4} \d{2}:\d{2}:\d{2} GMT[+-]\d{4} \(.+\)$/;

// ---------------------------------------------------------------------------------------
// The two servers. Options: {auth: 'none'|'basic', readonly, mode, serverId}.

async function startNodeServer({ auth = 'none', readonly = false, mode = 'development', serverId } = {}) {
  const args = ['--namespaces', '/,/chat', '--auth', auth, '--mode', mode];
  if (auth === 'basic') args.push('--password-hash', PASSWORD_HASH);
  if (readonly) args.push('--readonly');
  if (serverId) args.push('--server-id', serverId);
  const srv = await startServer({ command: [process.execPath, NODE_ADMIN_SERVER], args });
  return { url: srv.url, port: srv.port, stop: () => srv.stop() };
}

async function startPlugboardServer({ auth = 'none', readonly = false, mode = 'development', serverId } = {}) {
  const admin = {
    namespaceName: '/admin',
    auth: auth === 'basic' ? { type: 'basic', username: 'admin', password: PASSWORD_HASH } : false,
    readonly,
    mode,
  };
  if (serverId) admin.serverId = serverId;
  const hub = await startHub({
    config: {
      // defaultHubNamespace() gives rooms ["public:*"]; the admin side needs nothing more.
      namespaces: [{ name: '/', rooms: ['public:*'] }, { name: '/chat', rooms: ['public:*'] }],
      admin,
    },
  });
  return { url: hub.url, port: hub.port, stop: () => hub.stop() };
}

/** One server for the tests of the enclosing describe(). */
function useAdminServer(start, options) {
  const holder = {};
  before(async () => { Object.assign(holder, await start(options)); });
  after(async () => { if (holder.stop) await holder.stop(); });
  return holder;
}

// ---------------------------------------------------------------------------------------
// Assertions shared by the scenarios.

function assertTimestamp(value, what) {
  assert.equal(typeof value, 'string', `${what}: timestamp must be a string, got ${JSON.stringify(value)}`);
  assert.match(value, ISO_RE, `${what}: timestamp must be ISO-8601 with milliseconds`);
  assert.ok(Math.abs(Date.parse(value) - Date.now()) < 60000, `${what}: timestamp ${value} is not now`);
}

/** The documented features, in their documented order; extensions (unknown names) are left out. */
function standardFeatures(config) {
  assert.equal(typeof config, 'object');
  assert.ok(Array.isArray(config.supportedFeatures), 'config.supportedFeatures must be an array');
  for (const f of config.supportedFeatures) assert.equal(typeof f, 'string', 'every feature is a string');
  assert.equal(new Set(config.supportedFeatures).size, config.supportedFeatures.length, 'no feature twice');
  return config.supportedFeatures.filter((f) => STANDARD_FEATURES.includes(f));
}

/**
 * A SerializedSocket (section 4.2). `expected`: {id, nsp, transport, engineId, rooms}
 * (each optional) are compared exactly.
 */
function assertSerializedSocket(s, expected = {}) {
  assert.equal(typeof s, 'object');
  assert.ok(s !== null);
  assert.equal(typeof s.id, 'string');
  assert.equal(typeof s.clientId, 'string');
  assert.equal(s.clientId.length, 12, `clientId must be 12 characters: ${JSON.stringify(s.clientId)}`);
  assert.ok(s.transport === 'polling' || s.transport === 'websocket', `transport: ${s.transport}`);
  assert.equal(typeof s.nsp, 'string');
  assert.ok(s.nsp.startsWith('/'));
  assert.equal(typeof s.data, 'object');
  assert.ok(s.data !== null && !Array.isArray(s.data), 'data must be an object');
  assert.ok(!('_admin' in s.data), 'data must not carry the internal _admin key');
  const h = s.handshake;
  assert.equal(typeof h, 'object');
  assert.equal(typeof h.address, 'string');
  assert.equal(typeof h.headers, 'object');
  for (const name of Object.keys(h.headers)) assert.equal(name, name.toLowerCase(), `header name ${name} is lower-case`);
  assert.equal(typeof h.query, 'object');
  assert.equal(typeof h.issued, 'number');
  assert.ok(Number.isInteger(h.issued) && Math.abs(h.issued - Date.now()) < 10 * 60000, `issued is ms since epoch: ${h.issued}`);
  assert.equal(typeof h.time, 'string');
  assert.match(h.time, JS_DATE_RE, 'handshake.time has the Date.toString() form');
  assert.equal(typeof h.url, 'string');
  assert.equal(typeof h.secure, 'boolean');
  assert.equal(typeof h.xdomain, 'boolean');
  assert.ok(!('auth' in h), 'handshake.auth must not be sent');
  assert.ok(Array.isArray(s.rooms));
  for (const r of s.rooms) assert.equal(typeof r, 'string');
  assert.equal(s.rooms[0], s.id, 'the private room comes first');
  if (expected.id !== undefined) assert.equal(s.id, expected.id);
  if (expected.nsp !== undefined) assert.equal(s.nsp, expected.nsp);
  if (expected.transport !== undefined) assert.equal(s.transport, expected.transport);
  if (expected.engineId !== undefined) assert.equal(s.clientId, expected.engineId.slice(0, 12));
  if (expected.rooms !== undefined) assert.deepEqual(s.rooms, expected.rooms);
}

function assertAggregatedEntry(e) {
  assert.equal(typeof e, 'object');
  assert.ok(AGGREGATED_TYPES.includes(e.type), `aggregated event type: ${e.type}`);
  assert.ok(Number.isInteger(e.timestamp), 'timestamp is ms since epoch');
  assert.equal(e.timestamp % 1000, 0, 'timestamp is truncated to the second');
  assert.ok(Math.abs(e.timestamp - Date.now()) < 60000, 'timestamp is now');
  assert.ok(Number.isInteger(e.count) && e.count > 0, `count is a positive integer: ${e.count}`);
  if (e.type === 'rawDisconnection') {
    assert.equal(typeof e.subType, 'string', 'rawDisconnection carries the close reason as subType');
    assert.ok(e.subType.length > 0);
  } else {
    assert.ok(!('subType' in e), `subType is absent (not null) for ${e.type}`);
  }
}

function assertServerStats(stats, { serverId } = {}) {
  assert.equal(typeof stats, 'object');
  assert.equal(typeof stats.serverId, 'string');
  if (serverId !== undefined) assert.equal(stats.serverId, serverId);
  assert.equal(stats.hostname, os.hostname());
  assert.ok(Number.isInteger(stats.pid) && stats.pid > 0 && stats.pid !== process.pid, `pid: ${stats.pid}`);
  assert.equal(typeof stats.uptime, 'number');
  assert.ok(stats.uptime >= 0, 'uptime in seconds');
  assert.ok(Number.isInteger(stats.clientsCount) && stats.clientsCount >= 1, `clientsCount: ${stats.clientsCount}`);
  assert.ok(Number.isInteger(stats.pollingClientsCount) && stats.pollingClientsCount >= 0
    && stats.pollingClientsCount <= stats.clientsCount, `pollingClientsCount: ${stats.pollingClientsCount}`);
  assert.ok(Array.isArray(stats.aggregatedEvents));
  stats.aggregatedEvents.forEach(assertAggregatedEntry);
  assert.ok(Array.isArray(stats.namespaces));
  for (const n of stats.namespaces) {
    assert.equal(typeof n.name, 'string');
    assert.ok(Number.isInteger(n.socketsCount) && n.socketsCount >= 0, `socketsCount of ${n.name}`);
  }
}

const namespaceOf = (stats, name) => stats.namespaces.find((n) => n.name === name);
const aggregated = (stats, type) => stats.aggregatedEvents.filter((e) => e.type === type);

// ---------------------------------------------------------------------------------------
// Clients.

/** An app client on its own connection; no reconnection, so kicks stay kicks. */
function appClient(track, url, nsp = '/', opts = {}) {
  return sioConnect(track, url, nsp, { reconnection: false, ...opts });
}

/** An app client with sockets on / and /chat over one Engine.IO connection. */
async function multiplexedClient(track, url, opts = {}) {
  const m = manager(track, url, { reconnection: false, ...opts });
  const main = track(m.socket('/'));
  const chat = track(m.socket('/chat'));
  await Promise.all([
    once(main, 'connect', WAIT_MS, { failOn: ['connect_error'], what: 'connect to /' }),
    once(chat, 'connect', WAIT_MS, { failOn: ['connect_error'], what: 'connect to /chat' }),
  ]);
  return { manager: m, main, chat };
}

const admin = (track, url, opts = {}) => connectAdmin(url, { track, ...opts });

/** Connects an admin observer and waits for its config (and all_sockets in development). */
async function readyAdmin(track, url, opts = {}, { development = true } = {}) {
  const observer = await admin(track, url, opts);
  await observer.waitFor('config', () => true, WAIT_MS);
  if (development) await observer.waitFor('all_sockets', () => true, WAIT_MS);
  return observer;
}

/** The socket_connected of socket `id`: [serializedSocket, timestamp]. */
const connected = (observer, id, nsp = '/') =>
  observer.waitFor('socket_connected', (s) => s && s.id === id && s.nsp === nsp, WAIT_MS);

/** Makes the server join socket `id` to `room` through the admin command, and waits for it. */
async function joinByAdmin(observer, nsp, room, id) {
  const since = observer.mark();
  observer.send('join', nsp, room, id);
  await observer.waitFor('room_joined', (n, r, sid) => n === nsp && r === room && sid === id, WAIT_MS, { since });
}

/** The client stays connected: its next event is reported by the instrumentation. */
async function assertStillConnected(observer, client, nsp = '/') {
  assert.equal(client.connected, true, `${nsp} socket ${client.id} is still connected`);
  const token = `alive-${Math.random().toString(36).slice(2)}`;
  client.emit('still-here', token);
  await observer.waitFor('event_received', (n, id, args) => n === nsp && id === client.id
    && Array.isArray(args) && args[0] === 'still-here' && args[1] === token, WAIT_MS);
}

// ---------------------------------------------------------------------------------------
// The scenarios. `quirks.createsNamespaceOnCommand`: whether an admin command that names an
// unknown namespace creates it (Node does, io.of(name); Plugboard deliberately does not).

function suite(name, start, quirks) {
  const testOpts = { timeout: TEST_TIMEOUT_MS };

  describe(name, () => {
    describe('development, auth false', () => {
      const srv = useAdminServer(start, { serverId: DEV_SERVER_ID });

      test('config lists every feature, then all_sockets includes the admin socket itself', testOpts, async (t) => {
        const track = tracker(t);
        const observer = await admin(track, srv.url);
        const [config] = await observer.waitFor('config', () => true, WAIT_MS);
        assert.deepEqual(standardFeatures(config), STANDARD_FEATURES);
        const [sockets] = await observer.waitFor('all_sockets', () => true, WAIT_MS);
        const configAt = observer.events('config')[0].index;
        const allAt = observer.events('all_sockets')[0].index;
        assert.ok(configAt < allAt, 'all_sockets comes after config');
        assert.equal(observer.events('config').length, 1, 'one config per connection');
        assert.equal(observer.events('all_sockets').length, 1, 'one all_sockets per connection');
        assert.ok(Array.isArray(sockets));
        sockets.forEach((s) => assertSerializedSocket(s));
        const self = sockets.find((s) => s.id === observer.id);
        assert.ok(self, `the admin socket ${observer.id} is in all_sockets`);
        assertSerializedSocket(self, { id: observer.id, nsp: '/admin', engineId: observer.engineId, rooms: [observer.id] });
      });

      test('the admin socket sees its own socket_connected and private room_joined', testOpts, async (t) => {
        const track = tracker(t);
        const observer = await admin(track, srv.url);
        const [self, ts] = await connected(observer, observer.id, '/admin');
        assertSerializedSocket(self, { id: observer.id, nsp: '/admin', engineId: observer.engineId });
        assertTimestamp(ts, 'socket_connected');
        // Node broadcasts this room_joined before the CONNECT ack (the client buffers it);
        // Plugboard sends the ack first. Either order is accepted: only its arrival counts.
        const joined = await observer.waitFor('room_joined',
          (nsp, room, id) => nsp === '/admin' && room === observer.id && id === observer.id, WAIT_MS);
        assert.equal(joined.length, 4);
        assertTimestamp(joined[3], 'room_joined');
      });

      test('auth false accepts a CONNECT without payload and the UI\'s empty credentials', testOpts, async (t) => {
        const track = tracker(t);
        const bare = await readyAdmin(track, srv.url);
        const blank = await readyAdmin(track, srv.url, { auth: { username: '', password: '' } });
        assert.deepEqual(bare.events('session'), []);
        assert.deepEqual(blank.events('session'), []);
      });

      test('websocket-only admin connection gets config and all_sockets', testOpts, async (t) => {
        const track = tracker(t);
        const observer = await admin(track, srv.url, { transports: ['websocket'] });
        const [config] = await observer.waitFor('config', () => true, WAIT_MS);
        assert.deepEqual(standardFeatures(config), STANDARD_FEATURES);
        const [sockets] = await observer.waitFor('all_sockets', () => true, WAIT_MS);
        const self = sockets.find((s) => s.id === observer.id);
        assertSerializedSocket(self, { id: observer.id, nsp: '/admin', transport: 'websocket' });
      });

      test('SerializedSocket of a polling app client: fields, types, handshake, rooms', testOpts, async (t) => {
        const track = tracker(t);
        const observer = await readyAdmin(track, srv.url);
        const client = await appClient(track, srv.url, '/', {
          transports: ['polling'], query: { app: 'demo' }, extraHeaders: { 'x-e2e-probe': 'yes' },
        });
        const [s, ts] = await connected(observer, client.id);
        assertTimestamp(ts, 'socket_connected');
        assertSerializedSocket(s, {
          id: client.id, nsp: '/', transport: 'polling', engineId: client.io.engine.id, rooms: [client.id],
        });
        assert.deepEqual(s.data, {});
        const h = s.handshake;
        assert.equal(h.address, '127.0.0.1');
        assert.equal(h.headers.host, `127.0.0.1:${srv.port}`);
        assert.equal(h.headers['x-e2e-probe'], 'yes');
        assert.equal(h.query.app, 'demo');
        assert.equal(h.query.EIO, '4');
        assert.equal(h.query.transport, 'polling');
        assert.equal(typeof h.query.t, 'string');
        assert.ok(h.url.startsWith('/socket.io/?'), `url: ${h.url}`);
        assert.ok(h.url.includes('app=demo') && h.url.includes('EIO=4'), `url: ${h.url}`);
        assert.equal(h.secure, false);
        assert.equal(h.xdomain, false, 'no Origin header, not cross-domain');
        const joined = await observer.waitFor('room_joined',
          (nsp, room, id) => nsp === '/' && room === client.id && id === client.id, WAIT_MS);
        assertTimestamp(joined[3], 'room_joined');

        // A fresh admin gets the same socket in all_sockets.
        const second = await readyAdmin(track, srv.url);
        const [all] = second.events('all_sockets')[0].args;
        const listed = all.find((x) => x.id === client.id);
        assertSerializedSocket(listed, { id: client.id, nsp: '/', transport: 'polling', engineId: client.io.engine.id });
        assert.equal(listed.handshake.query.app, 'demo');
      });

      test('a websocket-only app client is reported with transport websocket', testOpts, async (t) => {
        const track = tracker(t);
        const observer = await readyAdmin(track, srv.url);
        const client = await appClient(track, srv.url, '/', { transports: ['websocket'] });
        const [s] = await connected(observer, client.id);
        assertSerializedSocket(s, { id: client.id, nsp: '/', transport: 'websocket', engineId: client.io.engine.id });
        assert.equal(s.handshake.query.transport, 'websocket');
        await observer.waitFor('room_joined',
          (nsp, room, id) => nsp === '/' && room === client.id && id === client.id, WAIT_MS);
      });

      test('sockets multiplexed on one connection share the clientId', testOpts, async (t) => {
        const track = tracker(t);
        const observer = await readyAdmin(track, srv.url);
        const { main, chat, manager: m } = await multiplexedClient(track, srv.url);
        const [a] = await connected(observer, main.id, '/');
        const [b] = await connected(observer, chat.id, '/chat');
        assertSerializedSocket(a, { nsp: '/', engineId: m.engine.id });
        assertSerializedSocket(b, { nsp: '/chat', engineId: m.engine.id });
        assert.equal(a.clientId, b.clientId);
        await observer.waitFor('room_joined', (nsp, room, id) => nsp === '/chat' && room === chat.id && id === chat.id, WAIT_MS);
      });

      test('socket_updated carries transport websocket after the upgrade', testOpts, async (t) => {
        const track = tracker(t);
        const observer = await readyAdmin(track, srv.url);
        const client = await appClient(track, srv.url, '/', { transports: ['polling', 'websocket'] });
        const [s] = await connected(observer, client.id);
        assert.equal(s.transport, 'polling', 'connected over polling, before the upgrade');
        const [update] = await observer.waitFor('socket_updated', (u) => u && u.id === client.id, WAIT_MS);
        assert.deepEqual(update, { id: client.id, nsp: '/', transport: 'websocket' });
        assert.equal(client.io.engine.transport.name, 'websocket');
      });

      test('event_received: plain and binary args, ack callback stripped, both admin transports', testOpts, async (t) => {
        const track = tracker(t);
        const viaPolling = await readyAdmin(track, srv.url);
        const viaWebSocket = await readyAdmin(track, srv.url, { transports: ['websocket'] });
        const client = await appClient(track, srv.url);
        const { chat } = await multiplexedClient(track, srv.url);
        client.emit('chat', 'hi everyone');
        client.emit('bin', Buffer.from([1, 2, 3]), { nested: Buffer.from('xy') });
        client.emit('with-ack', 5, { k: 'v' }, () => {});
        chat.emit('room-talk', [1, 'two', null]);
        for (const observer of [viaPolling, viaWebSocket]) {
          const plain = await observer.waitFor('event_received', (nsp, id) => nsp === '/' && id === client.id, WAIT_MS);
          assert.equal(plain.length, 4);
          assert.deepEqual(plain.slice(0, 3), ['/', client.id, ['chat', 'hi everyone']]);
          assertTimestamp(plain[3], 'event_received');

          const [, , bin] = await observer.waitFor('event_received',
            (nsp, id, args) => id === client.id && args[0] === 'bin', WAIT_MS);
          assert.equal(bin.length, 3);
          assert.ok(Buffer.isBuffer(bin[1]), 'binary arg arrives as a Buffer');
          assert.deepEqual(bin[1], Buffer.from([1, 2, 3]));
          assert.ok(Buffer.isBuffer(bin[2].nested), 'nested binary arrives as a Buffer');
          assert.deepEqual(bin[2].nested, Buffer.from('xy'));

          const [, , acked] = await observer.waitFor('event_received',
            (nsp, id, args) => id === client.id && args[0] === 'with-ack', WAIT_MS);
          assert.deepEqual(acked, ['with-ack', 5, { k: 'v' }], 'the ack callback is not reported');

          const other = await observer.waitFor('event_received', (nsp, id) => id === chat.id, WAIT_MS);
          assert.deepEqual(other.slice(0, 3), ['/chat', chat.id, ['room-talk', [1, 'two', null]]]);
        }
      });

      test('admin emit to a room: the members get it, one event_sent per recipient', testOpts, async (t) => {
        const track = tracker(t);
        const observer = await readyAdmin(track, srv.url);
        const a = await appClient(track, srv.url);
        const b = await appClient(track, srv.url, '/', { transports: ['websocket'] });
        const c = await appClient(track, srv.url);
        await joinByAdmin(observer, '/', 'emit-room', a.id);
        await joinByAdmin(observer, '/', 'emit-room', b.id);
        const gotA = once(a, 'announcement', WAIT_MS);
        const gotB = once(b, 'announcement', WAIT_MS);
        const strays = [];
        c.on('announcement', (...args) => strays.push(args));
        const since = observer.mark();
        observer.send('emit', '/', 'emit-room', 'announcement', { text: 'hello room' }, 7);
        assert.deepEqual(await gotA, [{ text: 'hello room' }, 7]);
        assert.deepEqual(await gotB, [{ text: 'hello room' }, 7]);
        const sent = await observer.waitForCount('event_sent',
          (nsp, id, args) => Array.isArray(args) && args[0] === 'announcement', 2, WAIT_MS, { since });
        const byId = new Map(sent.map((args) => [args[1], args]));
        assert.deepEqual([...byId.keys()].sort(), [a.id, b.id].sort(), 'one event_sent for each member');
        for (const args of sent) {
          assert.equal(args.length, 4);
          assert.equal(args[0], '/');
          assert.deepEqual(args[2], ['announcement', { text: 'hello room' }, 7]);
          assertTimestamp(args[3], 'event_sent');
        }
        await observer.sync();
        assert.deepEqual(observer.argsOf('event_sent', (nsp, id) => id === c.id), [], 'nothing sent to the non-member');
        assert.deepEqual(strays, []);
      });

      test('join and leave by socket id; rooms listed with the private room first', testOpts, async (t) => {
        const track = tracker(t);
        const observer = await readyAdmin(track, srv.url);
        const a = await appClient(track, srv.url);
        await connected(observer, a.id);
        let since = observer.mark();
        observer.send('join', '/', 'lobby', a.id);
        const joined = await observer.waitFor('room_joined', (nsp, room, id) => room === 'lobby' && id === a.id, WAIT_MS, { since });
        assert.equal(joined.length, 4);
        assert.deepEqual(joined.slice(0, 3), ['/', 'lobby', a.id]);
        assertTimestamp(joined[3], 'room_joined');

        const second = await readyAdmin(track, srv.url);
        const [all] = second.events('all_sockets')[0].args;
        const listed = all.find((x) => x.id === a.id);
        assertSerializedSocket(listed, { id: a.id, rooms: [a.id, 'lobby'] });

        since = observer.mark();
        observer.send('leave', '/', 'lobby', a.id);
        const left = await observer.waitFor('room_left', (nsp, room, id) => room === 'lobby' && id === a.id, WAIT_MS, { since });
        assert.equal(left.length, 4);
        assert.deepEqual(left.slice(0, 3), ['/', 'lobby', a.id]);
        assertTimestamp(left[3], 'room_left');
        await assertStillConnected(observer, a);
      });

      test('leave without filter empties the room for every member', testOpts, async (t) => {
        const track = tracker(t);
        const observer = await readyAdmin(track, srv.url);
        const a = await appClient(track, srv.url);
        const b = await appClient(track, srv.url);
        const c = await appClient(track, srv.url);
        await joinByAdmin(observer, '/', 'clear-room', a.id);
        await joinByAdmin(observer, '/', 'clear-room', b.id);
        await joinByAdmin(observer, '/', 'other-room', c.id);
        const since = observer.mark();
        observer.send('leave', '/', 'clear-room');
        const left = await observer.waitForCount('room_left', (nsp, room) => nsp === '/' && room === 'clear-room', 2, WAIT_MS, { since });
        assert.deepEqual(left.map((args) => args[2]).sort(), [a.id, b.id].sort());
        await observer.sync();
        assert.deepEqual(observer.argsOf('room_left', (nsp, room, id) => id === c.id), [], 'c keeps its rooms');
        const second = await readyAdmin(track, srv.url);
        const [all] = second.events('all_sockets')[0].args;
        assert.deepEqual(all.find((x) => x.id === a.id).rooms, [a.id]);
        assert.deepEqual(all.find((x) => x.id === b.id).rooms, [b.id]);
        assert.deepEqual(all.find((x) => x.id === c.id).rooms, [c.id, 'other-room']);
      });

      test('_disconnect close false: only that namespace socket leaves, reason server namespace disconnect', testOpts, async (t) => {
        const track = tracker(t);
        const observer = await readyAdmin(track, srv.url);
        const { main, chat } = await multiplexedClient(track, srv.url);
        const id = main.id;
        await connected(observer, id);
        const gone = once(main, 'disconnect', WAIT_MS);
        const since = observer.mark();
        observer.send('_disconnect', '/', false, id);
        const [reason] = await gone;
        assert.equal(reason, 'io server disconnect');
        const disc = await observer.waitFor('socket_disconnected', (nsp, sid) => sid === id, WAIT_MS, { since, entry: true });
        assert.equal(disc.args.length, 4);
        assert.deepEqual(disc.args.slice(0, 3), ['/', id, 'server namespace disconnect']);
        assertTimestamp(disc.args[3], 'socket_disconnected');
        const left = await observer.waitFor('room_left', (nsp, room, sid) => nsp === '/' && room === id && sid === id,
          WAIT_MS, { since, entry: true });
        assert.ok(left.index > disc.index, 'room_left of the private room follows socket_disconnected');
        assertTimestamp(left.args[3], 'room_left');
        await assertStillConnected(observer, chat, '/chat');
        assert.equal(main.connected, false);
      });

      test('_disconnect close true: the whole connection closes, every namespace socket with it', testOpts, async (t) => {
        const track = tracker(t);
        const observer = await readyAdmin(track, srv.url);
        const { main, chat, manager: m } = await multiplexedClient(track, srv.url);
        const mainId = main.id;
        const chatId = chat.id;
        await connected(observer, mainId);
        await connected(observer, chatId, '/chat');
        const engineClosed = once(m.engine, 'close', WAIT_MS, { what: 'the Engine.IO connection to close' });
        const mainGone = once(main, 'disconnect', WAIT_MS);
        const chatGone = once(chat, 'disconnect', WAIT_MS);
        const since = observer.mark();
        observer.send('_disconnect', '/', true, mainId);
        await engineClosed;
        await mainGone;
        await chatGone;
        const a = await observer.waitFor('socket_disconnected', (nsp, sid) => sid === mainId, WAIT_MS, { since });
        assert.deepEqual(a.slice(0, 3), ['/', mainId, 'server namespace disconnect']);
        const b = await observer.waitFor('socket_disconnected', (nsp, sid) => sid === chatId, WAIT_MS, { since });
        assert.equal(b[0], '/chat');
        assert.equal(typeof b[2], 'string');
        assertTimestamp(b[3], 'socket_disconnected');
        await observer.waitFor('room_left', (nsp, room, sid) => nsp === '/chat' && room === chatId && sid === chatId, WAIT_MS, { since });
      });

      test('_disconnect with a room filter disconnects the room\'s members only', testOpts, async (t) => {
        const track = tracker(t);
        const observer = await readyAdmin(track, srv.url);
        const a = await appClient(track, srv.url);
        const b = await appClient(track, srv.url);
        const c = await appClient(track, srv.url);
        await joinByAdmin(observer, '/', 'kick-room', a.id);
        await joinByAdmin(observer, '/', 'kick-room', b.id);
        const aGone = once(a, 'disconnect', WAIT_MS);
        const bGone = once(b, 'disconnect', WAIT_MS);
        const ids = [a.id, b.id];
        const since = observer.mark();
        observer.send('_disconnect', '/', false, 'kick-room');
        assert.equal((await aGone)[0], 'io server disconnect');
        assert.equal((await bGone)[0], 'io server disconnect');
        const disc = await observer.waitForCount('socket_disconnected', (nsp, sid) => ids.includes(sid), 2, WAIT_MS, { since });
        for (const args of disc) assert.equal(args[2], 'server namespace disconnect');
        await assertStillConnected(observer, c);
        assert.deepEqual(observer.argsOf('socket_disconnected', (nsp, sid) => sid === c.id), []);
      });

      test('nothing is reported for the admin namespace\'s own traffic', testOpts, async (t) => {
        const track = tracker(t);
        const first = await readyAdmin(track, srv.url);
        const second = await readyAdmin(track, srv.url);
        first.send('hello-from-admin', 'x', Buffer.from([9]));
        first.send('not-a-command', 1);
        // Server -> admin traffic: config and all_sockets for a third admin, server_stats for all.
        await readyAdmin(track, srv.url);
        await second.waitFor('server_stats', () => true, STATS_WAIT_MS, { since: second.mark() });
        const probe = await first.sync();
        await second.waitFor('socket_connected', (s) => s && s.id === probe, WAIT_MS);
        for (const observer of [first, second]) {
          assert.deepEqual(observer.argsOf('event_received', (nsp) => nsp === '/admin'), []);
          assert.deepEqual(observer.argsOf('event_sent', (nsp) => nsp === '/admin'), []);
        }
      });

      test('a command naming an unknown namespace', testOpts, async (t) => {
        const track = tracker(t);
        const observer = await readyAdmin(track, srv.url);
        const ghost = `/ghost-${process.pid}`;
        observer.send('join', ghost, 'room');
        observer.send('_disconnect', ghost, false);
        await observer.sync();
        const since = observer.mark();
        const [stats] = await observer.waitFor('server_stats', () => true, STATS_WAIT_MS, { since });
        // Node's handlers call io.of(nsp), which creates the namespace (doc section 5); Plugboard
        // deliberately refuses unknown namespaces instead ("should not copy", section 10).
        assert.equal(Boolean(namespaceOf(stats, ghost)), quirks.createsNamespaceOnCommand,
          `${ghost} in server_stats.namespaces: ${JSON.stringify(stats.namespaces)}`);
      });

      test('server_stats: fields and types, namespaces include /admin', testOpts, async (t) => {
        const track = tracker(t);
        const observer = await readyAdmin(track, srv.url);
        const { main } = await multiplexedClient(track, srv.url);
        await connected(observer, main.id);
        const since = observer.mark();
        const [stats] = await observer.waitFor('server_stats', () => true, STATS_WAIT_MS, { since });
        assertServerStats(stats, { serverId: DEV_SERVER_ID });
        const adminNsp = namespaceOf(stats, '/admin');
        assert.ok(adminNsp, `namespaces: ${JSON.stringify(stats.namespaces)}`);
        assert.ok(adminNsp.socketsCount >= 1);
        assert.ok(namespaceOf(stats, '/').socketsCount >= 1);
        assert.ok(namespaceOf(stats, '/chat').socketsCount >= 1);
        assert.ok(stats.clientsCount >= 2, 'the admin connection and the app client');
      });

      test('server_stats cadence is about 2 s', testOpts, async (t) => {
        const track = tracker(t);
        const observer = await readyAdmin(track, srv.url);
        const since = observer.mark();
        const [first, second] = await observer.waitForCount('server_stats', () => true, 2, 2 * STATS_WAIT_MS, { since, entry: true });
        const gap = second.at - first.at;
        assert.ok(gap >= 1500 && gap <= 2500, `two consecutive server_stats ${gap} ms apart`);
      });

      test('aggregatedEvents: rawConnection, packets and bytes after a new client, rawDisconnection after it left', testOpts, async (t) => {
        const track = tracker(t);
        const observer = await readyAdmin(track, srv.url);
        // Drain what the admin connection itself caused: the buffer is cleared at every emission.
        await observer.waitFor('server_stats', () => true, STATS_WAIT_MS);
        const since = observer.mark();
        const client = await appClient(track, srv.url, '/', { transports: ['polling'] });
        client.emit('counted', 'payload');
        const [withClient] = await observer.waitFor('server_stats',
          (s) => aggregated(s, 'rawConnection').length > 0, STATS_WAIT_MS, { since });
        assertServerStats(withClient);
        const raw = aggregated(withClient, 'rawConnection');
        assert.ok(raw.reduce((n, e) => n + e.count, 0) >= 1);
        const packetsIn = await observer.waitFor('server_stats',
          (s) => aggregated(s, 'packetsIn').length > 0 && aggregated(s, 'bytesIn').length > 0, STATS_WAIT_MS, { since });
        assertServerStats(packetsIn[0]);
        const polling = await observer.waitFor('server_stats', (s) => s.pollingClientsCount >= 1, STATS_WAIT_MS, { since });
        assert.ok(polling[0].pollingClientsCount >= 1, 'the polling client is counted');
        const afterClose = observer.mark();
        client.disconnect();
        const [closed] = await observer.waitFor('server_stats',
          (s) => aggregated(s, 'rawDisconnection').length > 0, STATS_WAIT_MS, { since: afterClose });
        assertServerStats(closed);
      });

      test('CORS: the hosted UI\'s polling handshake is allowed with credentials', testOpts, async () => {
        const res = await request(`${srv.url}/socket.io/?EIO=4&transport=polling`, { headers: { Origin: UI_ORIGIN } }, WAIT_MS);
        assert.equal(res.status, 200);
        assert.equal(res.headers['access-control-allow-origin'], UI_ORIGIN);
        assert.equal(res.headers['access-control-allow-credentials'], 'true');
        assert.ok(res.body.toString().startsWith('0{'), 'an Engine.IO open packet');
      });
    });

    describe('development, readonly', () => {
      const srv = useAdminServer(start, { readonly: true });

      test('config lists no command features', testOpts, async (t) => {
        const track = tracker(t);
        const observer = await admin(track, srv.url);
        const [config] = await observer.waitFor('config', () => true, WAIT_MS);
        assert.deepEqual(standardFeatures(config), ['AGGREGATED_EVENTS', 'ALL_EVENTS']);
        await observer.waitFor('all_sockets', () => true, WAIT_MS);
      });

      test('commands are ignored', testOpts, async (t) => {
        const track = tracker(t);
        const observer = await readyAdmin(track, srv.url);
        const a = await appClient(track, srv.url);
        await connected(observer, a.id);
        const strays = [];
        a.onAny((...args) => strays.push(args));
        observer.send('join', '/', 'ro-room', a.id);
        observer.send('emit', '/', a.id, 'ro-event', 1);
        observer.send('emit', '/', null, 'ro-event', 2);
        observer.send('leave', '/', a.id, a.id);
        observer.send('_disconnect', '/', false, a.id);
        observer.send('_disconnect', '/', true, a.id);
        // The probe's CONNECT is handled after the commands, on the same connection.
        const probe = await observer.sync();
        await connected(observer, probe);
        assert.deepEqual(observer.argsOf('room_joined', (nsp, room) => room === 'ro-room'), []);
        assert.deepEqual(observer.argsOf('room_left', (nsp, room, id) => id === a.id), []);
        assert.deepEqual(observer.argsOf('event_sent', (nsp, id) => id === a.id), []);
        assert.deepEqual(observer.argsOf('socket_disconnected', (nsp, id) => id === a.id), []);
        await assertStillConnected(observer, a);
        assert.deepEqual(strays, []);
      });
    });

    describe('production', () => {
      // No serverId: it defaults to the host name.
      const srv = useAdminServer(start, { mode: 'production' });

      test('config lists the commands but not ALL_EVENTS', testOpts, async (t) => {
        const track = tracker(t);
        const observer = await admin(track, srv.url);
        const [config] = await observer.waitFor('config', () => true, WAIT_MS);
        assert.deepEqual(standardFeatures(config), [...COMMAND_FEATURES, 'AGGREGATED_EVENTS']);
      });

      test('no per-socket stream, server_stats only', testOpts, async (t) => {
        const track = tracker(t);
        const observer = await admin(track, srv.url);
        await observer.waitFor('config', () => true, WAIT_MS);
        const since = observer.mark();
        const client = await appClient(track, srv.url, '/', { transports: ['polling'] });
        client.emit('chat', 'not reported');
        client.disconnect();
        // A stats message that counts the client's disconnection was made after the server
        // handled its event (same connection, earlier packet).
        const [stats] = await observer.waitFor('server_stats',
          (s) => aggregated(s, 'rawDisconnection').length > 0, 2 * STATS_WAIT_MS, { since });
        assertServerStats(stats, { serverId: os.hostname() });
        assert.ok(namespaceOf(stats, '/admin'), 'the admin namespace is listed');
        for (const name of STREAM_EVENTS) assert.deepEqual(observer.events(name), [], `no ${name} in production`);
        assert.deepEqual(observer.events('session'), []);
      });
    });

    describe('production, readonly', () => {
      const srv = useAdminServer(start, { mode: 'production', readonly: true });

      test('config lists AGGREGATED_EVENTS only', testOpts, async (t) => {
        const track = tracker(t);
        const observer = await admin(track, srv.url);
        const [config] = await observer.waitFor('config', () => true, WAIT_MS);
        assert.deepEqual(standardFeatures(config), ['AGGREGATED_EVENTS']);
        const [stats] = await observer.waitFor('server_stats', () => true, STATS_WAIT_MS);
        assertServerStats(stats);
        assert.deepEqual(observer.events('all_sockets'), []);
      });
    });

    describe('basic auth', () => {
      const srv = useAdminServer(start, { auth: 'basic' });
      const credentials = { username: 'admin', password: PASSWORD };

      test('login: a session event with a 16-hex id, before config', testOpts, async (t) => {
        const track = tracker(t);
        const observer = await admin(track, srv.url, { auth: credentials });
        const [config] = await observer.waitFor('config', () => true, WAIT_MS);
        assert.deepEqual(standardFeatures(config), STANDARD_FEATURES);
        const [sessionId] = await observer.waitFor('session', () => true, WAIT_MS);
        assert.equal(typeof sessionId, 'string');
        assert.match(sessionId, /^[0-9a-f]{16}$/);
        assert.equal(observer.events('session').length, 1);
        assert.ok(observer.events('session')[0].index < observer.events('config')[0].index, 'session comes before config');
        await observer.waitFor('all_sockets', () => true, WAIT_MS);
      });

      test('reconnect with {sessionId} is accepted without a new session', testOpts, async (t) => {
        const track = tracker(t);
        const first = await admin(track, srv.url, { auth: credentials });
        const [sessionId] = await first.waitFor('session', () => true, WAIT_MS);
        first.close();
        const again = await admin(track, srv.url, { auth: { sessionId } });
        await again.waitFor('config', () => true, WAIT_MS);
        assert.deepEqual(again.events('session'), [], 'no new session for a known session id');
      });

      test('wrong password, unknown session or no credentials: connect_error invalid credentials', testOpts, async (t) => {
        const track = tracker(t);
        const refusals = [
          { username: 'admin', password: 'wrong' },
          { username: 'someone', password: PASSWORD },
          { sessionId: '0123456789abcdef' },
          { username: '', password: '' },
          undefined,
        ];
        for (const auth of refusals) {
          await assert.rejects(withTimeout(admin(track, srv.url, { auth }), WAIT_MS + 1000, 'the refusal'),
            (err) => {
              assert.equal(err.message, 'invalid credentials', `auth ${JSON.stringify(auth)}`);
              return true;
            });
        }
      });
    });
  });
}

suite('Node socket.io 4.8.4 + @socket.io/admin-ui 0.5.1', startNodeServer, { createsNamespaceOnCommand: true });
suite('Plugboard', startPlugboardServer, { createsNamespaceOnCommand: false });
