'use strict';
// Real parts for cluster tests: a redis-server of our own (free loopback port, no
// persistence), cluster nodes that follow tests/data/redis-interop/CONTRACT.md (the Node
// reference `node-peer.js` or `plugboard-redis-peer`), socket.io-client sockets, and the two
// emitters (Node's @socket.io/redis-emitter, Plugboard's plugboard-redis-emitter).
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { io } = require('socket.io-client');
const { createClient } = require('redis');
const { Emitter } = require('@socket.io/redis-emitter');
const { withTimeout } = require('../lib/util');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const REDIS_SERVER = process.env.REDIS_SERVER || 'redis-server';
const REQUESTS_TIMEOUT_MS = 2000;
// classic (createAdapter) or sharded (createShardedAdapter, SPUBLISH/SSUBSCRIBE).
const MODE = process.env.PLUGBOARD_CLUSTER_MODE || 'classic';
const LOG_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'plugboard-cluster-'));
const children = new Set();
process.on('exit', (code) => {
  for (const c of children) { try { process.kill(-c.pid, 'SIGKILL'); } catch { /* gone */ } }
  // The nodes' and Redis's logs stay for a failed run.
  if (code === 0 && !process.exitCode) fs.rmSync(LOG_DIR, { recursive: true, force: true });
  else console.error(`cluster logs: ${LOG_DIR}`);
});

function binary(envName, name) {
  const file = (process.env[envName] || '').trim() || path.join(REPO_ROOT, 'build', 'bin', name);
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist: build it, or set ${envName}`);
  return file;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)); });
  });
}

// Polls an observable condition until it holds, bounded in time.
async function eventually(what, fn, { withinMs = 10000, everyMs = 20 } = {}) {
  const deadline = Date.now() + withinMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`${what} did not happen within ${withinMs} ms${last ? ` (${last.message})` : ''}`);
}

function spawnGroup(cmd, args, env, logName) {
  const log = fs.openSync(path.join(LOG_DIR, logName), 'a');
  const child = spawn(cmd, args, { env: { ...process.env, QT_NO_GLIB: '1', ...env }, detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  children.add(child);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => { children.delete(child); resolve({ code, signal }); }));
  return { child, exited };
}

async function stopGroup(proc, signal = 'SIGTERM') {
  if (!children.has(proc.child)) return proc.exited;
  try { process.kill(-proc.child.pid, signal); } catch { return proc.exited; }
  try {
    return await withTimeout(proc.exited, 3000, 'process to exit');
  } catch {
    try { process.kill(-proc.child.pid, 'SIGKILL'); } catch { /* gone */ }
    return proc.exited;
  }
}

/** A redis-server of our own. restart() brings it back on the same port. */
async function startRedis() {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let proc;
  const launch = async () => {
    proc = spawnGroup(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {}, `redis-${port}.log`);
    await eventually('redis-server to answer PING', async () => {
      const c = createClient({ url, socket: { reconnectStrategy: false } });
      c.on('error', () => {});
      try {
        await c.connect();
        return (await c.ping()) === 'PONG';
      } finally {
        c.disconnect().catch(() => {});
      }
    });
  };
  await launch();
  const query = createClient({ url, socket: { reconnectStrategy: (n) => Math.min(50 * n, 500) } });
  query.on('error', () => {});
  await query.connect();
  return {
    url,
    port,
    async numsub(channel) {
      const reply = await query.sendCommand(['PUBSUB', 'NUMSUB', channel]);
      return Number(reply[1]);
    },
    async shardnumsub(channel) {
      const reply = await query.sendCommand(['PUBSUB', 'SHARDNUMSUB', channel]);
      return Number(reply[1]);
    },
    /** Nodes subscribed for namespace `nsp`, as the adapter in use counts them. */
    nodes(nsp = '/') {
      return MODE === 'sharded' ? this.shardnumsub(`socket.io#${nsp}#`) : this.numsub(`socket.io-request#${nsp}#`);
    },
    publish: (channel, payload) => query.publish(channel, payload),
    spublish: (channel, payload) => query.sendCommand(['SPUBLISH', channel, payload]),
    async stop() { await stopGroup(proc); },
    async restart() { await launch(); await eventually('query client to reconnect', async () => (await query.ping()) === 'PONG'); },
    async close() { await query.disconnect().catch(() => {}); await stopGroup(proc); },
  };
}

/** A socket.io-client socket on `url + nsp`, connected; label goes to auth and query. */
async function client(url, nsp, label, opts = {}) {
  const socket = io(url + nsp, {
    forceNew: true, transports: ['websocket'], reconnection: false, auth: { label }, query: { client: label }, ...opts,
  });
  await withTimeout(new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  }), 5000, `${label} to connect to ${url}${nsp}`);
  return socket;
}

const ack = (socket, event, ...args) => withTimeout(socket.timeout(5000).emitWithAck(event, ...args), 6000, `ack of ${event}`);

/** A cluster node: kind 'node' (the reference) or 'plugboard' (plugboard-redis-peer). */
async function startNode(kind, name, redis) {
  const port = await freePort();
  const env = {
    PORT: String(port), REDIS_URL: redis.url, NODE_NAME: name, REQUESTS_TIMEOUT_MS: String(REQUESTS_TIMEOUT_MS),
    REDIS_ADAPTER_MODE: MODE,
  };
  const [cmd, args] = kind === 'node'
    ? [process.execPath, [path.join(__dirname, 'node-peer.js')]]
    : [binary('PLUGBOARD_REDIS_PEER', 'plugboard-redis-peer'), []];
  const url = `http://127.0.0.1:${port}`;
  const node = { kind, name, port, url, proc: null, ctlSocket: null, logFile: path.join(LOG_DIR, `node-${name}-${kind}.log`) };

  node.launch = async () => {
    node.proc = spawnGroup(cmd, args, env, path.basename(node.logFile));
    node.ctlSocket = await eventually(`node ${name} (${kind}) to answer on /ctl`, async () => {
      const s = io(`${url}/ctl`, { forceNew: true, transports: ['websocket'], reconnection: false, timeout: 1000 });
      try {
        await withTimeout(new Promise((resolve, reject) => { s.once('connect', resolve); s.once('connect_error', reject); }), 1500, 'ctl');
        const info = await s.timeout(2000).emitWithAck('info', {});
        if (!info.ok) throw new Error('info failed');
        node.info = info;
        return s;
      } catch (err) {
        s.close();
        throw err;
      }
    }, { withinMs: 30000, everyMs: 100 });
  };
  node.ctl = async (op, params = {}) => withTimeout(node.ctlSocket.timeout(10000).emitWithAck(op, params), 11000, `${op} on node ${name}`);
  node.stop = async () => { node.ctlSocket?.close(); await stopGroup(node.proc); };
  node.kill = async () => { node.ctlSocket?.close(); await stopGroup(node.proc, 'SIGKILL'); };
  node.pause = () => process.kill(-node.proc.child.pid, 'SIGSTOP');
  node.resume = () => process.kill(-node.proc.child.pid, 'SIGCONT');
  node.log = () => { try { return fs.readFileSync(node.logFile, 'utf8'); } catch { return ''; } };
  await node.launch();
  return node;
}

/** Waits until `count` nodes are subscribed to the request channels of / and /chat. */
async function clusterReady(redis, count = 2) {
  await eventually(`${count} nodes to subscribe`, async () =>
    (await redis.nodes('/')) === count && (await redis.nodes('/chat')) === count,
  { withinMs: 15000 });
}

/** Node's @socket.io/redis-emitter 5.1 on a client of its own. */
async function nodeEmitter(redis) {
  const c = createClient({ url: redis.url });
  c.on('error', () => {});
  await c.connect();
  const emitter = new Emitter(c);
  emitter.close = () => c.quit().catch(() => {});
  return emitter;
}

/** Plugboard's Redis::Emitter, through plugboard-redis-emitter (one JSON command a line). */
async function plugboardEmitter(redis) {
  const child = spawn(binary('PLUGBOARD_REDIS_EMITTER', 'plugboard-redis-emitter'), [], {
    env: { ...process.env, REDIS_URL: redis.url }, stdio: ['pipe', 'pipe', 'inherit'],
  });
  let buffer = '';
  const waiting = [];
  let ready;
  const readyPromise = new Promise((resolve) => { ready = resolve; });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line === 'ready') ready();
      else waiting.shift()?.(JSON.parse(line));
    }
  });
  await withTimeout(readyPromise, 5000, 'plugboard-redis-emitter to connect');
  return {
    send(command) {
      return withTimeout(new Promise((resolve) => {
        waiting.push(resolve);
        child.stdin.write(`${JSON.stringify(command)}\n`);
      }), 5000, `plugboard-redis-emitter ${command.op}`);
    },
    close() { child.stdin.end(); return withTimeout(new Promise((r) => child.once('exit', r)), 3000, 'emitter exit'); },
  };
}

/** Records every `event` a socket gets. */
function recorder(socket, event) {
  const seen = [];
  const waiters = [];
  socket.on(event, (...args) => {
    seen.push(args);
    for (const w of waiters.splice(0)) w();
  });
  return {
    seen,
    async next(n = 1, ms = 5000) {
      await withTimeout((async () => {
        while (seen.length < n) await new Promise((resolve) => waiters.push(resolve));
      })(), ms, `${n} "${event}" event(s), got ${seen.length}`);
      return seen;
    },
  };
}

module.exports = {
  LOG_DIR, REQUESTS_TIMEOUT_MS, MODE, startRedis, startNode, clusterReady, client, ack, eventually, nodeEmitter,
  plugboardEmitter, recorder,
};
