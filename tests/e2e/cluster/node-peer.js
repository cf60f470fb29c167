'use strict';
// The Node side of the mixed-cluster contract (tests/data/redis-interop/CONTRACT.md):
// socket.io 4.8.4 + @socket.io/redis-adapter 8.3.0 (createAdapter, the classic adapter) over
// the redis 4.7 client. Env PORT, REDIS_URL, NODE_NAME, REQUESTS_TIMEOUT_MS;
// REDIS_ADAPTER_MODE=sharded: createShardedAdapter (REDIS_SUBSCRIPTION_MODE).
const http = require('node:http');
const { Server } = require('socket.io');
const { createAdapter, createShardedAdapter } = require('@socket.io/redis-adapter');
const { createClient } = require('redis');

const PORT = Number(process.env.PORT || 3000);
const NODE = process.env.NODE_NAME || 'A';
const REQUESTS_TIMEOUT_MS = Number(process.env.REQUESTS_TIMEOUT_MS || 5000);
const CLIENT_NSPS = ['/', '/chat'];

// Reconnect quickly and for ever: the suite restarts Redis under the nodes.
const pub = createClient({ url: process.env.REDIS_URL, socket: { reconnectStrategy: (n) => Math.min(50 * n, 1000) } });
const sub = pub.duplicate();
for (const c of [pub, sub]) c.on('error', (err) => console.error(`redis: ${err.message}`));

const httpServer = http.createServer();
const SHARDED = process.env.REDIS_ADAPTER_MODE === 'sharded';
const adapter = SHARDED
  ? createShardedAdapter(pub, sub, { subscriptionMode: process.env.REDIS_SUBSCRIPTION_MODE || 'dynamic' })
  : createAdapter(pub, sub, { requestsTimeout: REQUESTS_TIMEOUT_MS });
const io = new Server(httpServer, { adapter });

const sorted = (rooms) => [...rooms].sort();
const list = (v) => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const sseLog = new Map(CLIENT_NSPS.map((n) => [n, []]));

for (const name of CLIENT_NSPS) {
  const nsp = io.of(name);
  nsp.on('connection', (socket) => {
    const label = socket.handshake.auth && socket.handshake.auth.label;
    socket.data = { node: NODE, label: typeof label === 'string' ? label : null };
    socket.on('join', (rooms, ack) => { socket.join(list(rooms)); ack(sorted(socket.rooms)); });
    socket.on('leave', (rooms, ack) => { for (const r of list(rooms)) socket.leave(r); ack(sorted(socket.rooms)); });
    socket.on('whoami', (ack) => ack({ id: socket.id, node: NODE, nsp: name, rooms: sorted(socket.rooms), data: socket.data }));
    socket.on('relay', ({ event, args = [], rooms }, ack) => {
      if (rooms === undefined || rooms === null) socket.broadcast.emit(event, ...args);
      else socket.to(rooms).emit(event, ...args);
      ack('ok');
    });
  });
  nsp.on('peer-hello', (...args) => { sseLog.get(name).push({ event: 'peer-hello', args, withAck: false }); });
  nsp.on('peer-ask', (...args) => {
    const cb = typeof args[args.length - 1] === 'function' ? args.pop() : null;
    sseLog.get(name).push({ event: 'peer-ask', args, withAck: !!cb });
    if (cb) cb({ node: NODE, args });
  });
}

function select(p) {
  const name = p.nsp === undefined ? '/' : p.nsp;
  if (!CLIENT_NSPS.includes(name)) throw new Error('unknown namespace');
  let op = io.of(name).in(p.rooms || []).except(p.except || []);
  if (p.local) op = op.local;
  return op;
}
function namespaceOf(p) {
  const name = p.nsp === undefined ? '/' : p.nsp;
  if (!CLIENT_NSPS.includes(name)) throw new Error('unknown namespace');
  return io.of(name);
}
const describe = (s) => {
  const { sessionStore, ...handshake } = s.handshake; // eslint-disable-line no-unused-vars
  return { id: s.id, handshake, rooms: sorted(s.rooms), data: s.data };
};

const ops = {
  info: async () => ({
    node: NODE, nsps: CLIENT_NSPS,
    uids: Object.fromEntries(CLIENT_NSPS.map((n) => [n, io.of(n).adapter.uid])),
    requestsTimeout: REQUESTS_TIMEOUT_MS, pid: process.pid,
  }),
  emit: async (p) => {
    let op = select(p);
    if (p.volatile) op = op.volatile;
    if (typeof p.compress === 'boolean') op = op.compress(p.compress);
    op.emit(p.event, ...(p.args || []));
    return {};
  },
  emitWithAck: async (p) => {
    const started = Date.now();
    return new Promise((resolve) => {
      select(p).timeout(p.timeout).emit(p.event, ...(p.args || []), (err, responses) => {
        resolve({ err: err ? err.message : null, responses, ms: Date.now() - started });
      });
    });
  },
  serverSideEmit: async (p) => { namespaceOf(p).serverSideEmit(p.event, ...(p.args || [])); return {}; },
  serverSideEmitWithAck: async (p) => {
    const started = Date.now();
    return new Promise((resolve) => {
      namespaceOf(p).serverSideEmit(p.event, ...(p.args || []), (err, responses) => {
        resolve({ err: err ? err.message : null, responses, ms: Date.now() - started });
      });
    });
  },
  sseLog: async (p) => {
    const name = namespaceOf(p).name;
    const events = sseLog.get(name);
    if (p.clear) sseLog.set(name, []);
    return { events };
  },
  fetchSockets: async (p) => {
    const started = Date.now();
    try {
      const sockets = await select(p).fetchSockets();
      return { sockets: sockets.map(describe), ms: Date.now() - started };
    } catch (err) {
      return { ok: false, error: err.message, ms: Date.now() - started };
    }
  },
  socketsJoin: async (p) => { select(p).socketsJoin(p.join); return {}; },
  socketsLeave: async (p) => { select(p).socketsLeave(p.leave); return {}; },
  disconnectSockets: async (p) => { select(p).disconnectSockets(!!p.close); return {}; },
  serverCount: async (p) => ({ count: await namespaceOf(p).adapter.serverCount() }),
  allRooms: async (p) => {
    const started = Date.now();
    try {
      if (typeof namespaceOf(p).adapter.allRooms !== 'function') throw new Error('allRooms is not supported by this adapter');
      return { rooms: sorted(await namespaceOf(p).adapter.allRooms()), ms: Date.now() - started };
    } catch (err) {
      return { ok: false, error: err.message, ms: Date.now() - started };
    }
  },
  localState: async (p) => ({
    sockets: [...namespaceOf(p).sockets.values()].map((s) => ({ id: s.id, rooms: sorted(s.rooms), data: s.data }))
      .sort((a, b) => (a.id < b.id ? -1 : 1)),
  }),
};

io.of('/ctl').on('connection', (socket) => {
  for (const [name, fn] of Object.entries(ops)) {
    socket.on(name, async (params, ack) => {
      try {
        ack({ ok: true, ...(await fn(params || {})) });
      } catch (err) {
        ack({ ok: false, error: err.message });
      }
    });
  }
});

process.on('SIGTERM', () => process.exit(0));
// @socket.io/redis-adapter does not catch a PUBLISH that fails while Redis is going away (EPIPE
// from the client); unhandled, that rejection would end this reference node mid-test.
process.on('unhandledRejection', (err) => console.error(`unhandled rejection: ${err && err.message}`));
Promise.all([pub.connect(), sub.connect()]).catch((err) => console.error(`redis: ${err.message}`));
httpServer.listen(PORT, '127.0.0.1', () => console.log(`node peer ${NODE} listening on 127.0.0.1:${PORT}`));
