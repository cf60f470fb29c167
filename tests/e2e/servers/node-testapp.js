'use strict';
// The conformance test app (docs: test-app-contract.md) on the npm socket.io server,
// with the same command line and readiness lines as tests/apps/testapp.cpp.
//
//   node servers/node-testapp.js --port 0 [--recovery-port 0] [--parser msgpack]
//        [--allow-eio3] [--per-message-deflate] [--ping-interval 300] [--ping-timeout 200]
const http = require('node:http');
const { parseArgs } = require('node:util');
const { Server } = require('socket.io');
const engine = require('engine.io');

const NAMESPACES = ['/', '/custom', '/private'];
const ASK_TIMEOUT_MS = 500;
const MAX_VOLATILE_BURST = 100000;

function fail(message, code = 2) {
  process.stderr.write(`node-testapp: ${message}\n`);
  process.exit(code);
}

function parsePort(value, name) {
  if (!/^\d+$/.test(value) || Number(value) > 65535) fail(`invalid --${name}`);
  return Number(value);
}

function parsePositive(value, name) {
  if (!/^\d+$/.test(value) || Number(value) <= 0) fail(`--${name} needs milliseconds > 0`);
  return Number(value);
}

function parseCommandLine() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '3000' },
        'recovery-port': { type: 'string' },
        parser: { type: 'string', default: 'default' },
        'allow-eio3': { type: 'boolean', default: false },
        'per-message-deflate': { type: 'boolean', default: false },
        'ping-interval': { type: 'string', default: '300' },
        'ping-timeout': { type: 'string', default: '200' },
      },
    }));
  } catch (err) {
    fail(err.message);
  }
  if (values.parser !== 'default' && values.parser !== 'msgpack') fail('--parser must be default or msgpack');
  return {
    port: parsePort(values.port, 'port'),
    recoveryPort: values['recovery-port'] === undefined ? undefined : parsePort(values['recovery-port'], 'recovery-port'),
    msgpack: values.parser === 'msgpack',
    allowEIO3: values['allow-eio3'],
    perMessageDeflate: values['per-message-deflate'],
    pingInterval: parsePositive(values['ping-interval'], 'ping-interval'),
    pingTimeout: parsePositive(values['ping-timeout'], 'ping-timeout'),
  };
}

function engineOptions(cli) {
  return {
    pingInterval: cli.pingInterval,
    pingTimeout: cli.pingTimeout,
    maxHttpBufferSize: 1e6,
    allowEIO3: cli.allowEIO3,
    perMessageDeflate: cli.perMessageDeflate,
    cors: { origin: '*' },
  };
}

/** Splits the acknowledgement callback (if the client asked for one) off the arguments. */
function takeAck(args) {
  return typeof args[args.length - 1] === 'function' ? args.pop() : null;
}

/** Registers `fn(args, ack)`; ack is a no-op when no acknowledgement was requested. */
function handle(socket, event, fn) {
  socket.on(event, (...args) => {
    const ack = takeAck(args);
    fn(args, ack || (() => {}));
  });
}

const sortedRooms = (socket) => [...socket.rooms].sort();

function setUpSocket(socket) {
  const nsp = socket.nsp;
  socket.emit('auth', socket.handshake.auth);

  handle(socket, 'message', (args) => socket.emit('message-back', ...args));
  socket.on('message-with-ack', (...args) => {
    const ack = takeAck(args);
    if (ack) ack(...args);
  });
  handle(socket, 'whoami', (args, ack) => ack({
    nsp: nsp.name,
    id: socket.id,
    engineId: socket.conn.id,
    transport: socket.conn.transport.name,
    auth: socket.handshake.auth,
    query: socket.handshake.query,
    rooms: sortedRooms(socket),
    recovered: socket.recovered,
  }));
  handle(socket, 'join', ([rooms], ack) => {
    socket.join(rooms);
    ack(sortedRooms(socket));
  });
  handle(socket, 'leave', ([room], ack) => {
    socket.leave(room);
    ack(sortedRooms(socket));
  });
  // The adapter delivers a multi-room emit at most once per socket.
  handle(socket, 'room-emit', ([rooms, payload], ack) => {
    nsp.to(rooms).emit('room-event', { room: rooms, from: socket.id, payload });
    ack('ok');
  });
  handle(socket, 'room-broadcast', ([rooms, payload], ack) => {
    socket.to(rooms).emit('room-event', { room: rooms, from: socket.id, payload });
    ack('ok');
  });
  handle(socket, 'broadcast', ([payload], ack) => {
    socket.broadcast.emit('broadcast-event', { from: socket.id, payload });
    ack('ok');
  });
  handle(socket, 'ask', ([payload], ack) => {
    socket.timeout(ASK_TIMEOUT_MS).emit('question', payload, (err, answer) => {
      ack(err ? { ok: false, error: 'timeout' } : { ok: true, answer });
    });
  });
  handle(socket, 'disconnect-me', () => socket.disconnect());
  // Closing the Engine.IO connection itself sends no Socket.IO DISCONNECT packet.
  handle(socket, 'drop-transport', () => socket.conn.close());
  handle(socket, 'volatile-burst', ([n]) => {
    const count = Math.min(Math.max(Math.trunc(Number(n)) || 0, 0), MAX_VOLATILE_BURST);
    for (let i = 0; i < count; i++) socket.volatile.emit('volatile-tick', i);
    socket.emit('volatile-done', count);
  });

  const id = socket.id;
  socket.on('disconnect', (reason) => {
    nsp.to('observers').emit('peer-disconnect', { id, reason });
  });
}

function setUpNamespaces(io) {
  for (const name of NAMESPACES) io.of(name).on('connection', setUpSocket);
  io.of('/private').use((socket, next) => {
    if (socket.handshake.auth && socket.handshake.auth.token === 'let-me-in') {
      next();
      return;
    }
    const err = new Error('not authorized');
    err.data = { code: 'E_AUTH', reason: 'auth.token must be "let-me-in"' };
    next(err);
  });
}

/** Raw Engine.IO echo: every message goes back unchanged (text as text, binary as binary). */
function attachRawEcho(httpServer, cli) {
  const raw = new engine.Server({ ...engineOptions(cli), path: '/engine.io/' });
  // Upgrades for other paths belong to the Socket.IO engine, which destroys the unknown ones.
  raw.attach(httpServer, { path: '/engine.io/', destroyUpgrade: false });
  raw.on('connection', (socket) => {
    socket.on('message', (data) => socket.send(data));
  });
  return raw;
}

/** One instance: an HTTP server with /socket.io/ and the raw /engine.io/ echo. */
function createInstance(cli, recovery) {
  // Requests that neither engine claims.
  const httpServer = http.createServer((req, res) => {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('Not Found');
  });
  const raw = attachRawEcho(httpServer, cli);
  const options = {
    ...engineOptions(cli),
    serveClient: false,
    connectTimeout: 1000,
  };
  if (cli.msgpack) options.parser = require('socket.io-msgpack-parser');
  if (recovery) {
    options.connectionStateRecovery = { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: true };
  }
  const io = new Server(httpServer, options);
  setUpNamespaces(io);
  const close = () => {
    raw.close();
    return io.close();
  };
  return { httpServer, close };
}

function listen(httpServer, port) {
  return new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, '127.0.0.1', () => {
      httpServer.off('error', reject);
      resolve(httpServer.address().port);
    });
  });
}

async function main() {
  const cli = parseCommandLine();
  const instances = [];
  const shutdown = () => {
    // Do not wait for clients that keep their connections open.
    setTimeout(() => process.exit(0), 500).unref();
    Promise.allSettled(instances.map((i) => i.close())).then(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);

  const primary = createInstance(cli, false);
  instances.push(primary);
  try {
    const port = await listen(primary.httpServer, cli.port);
    process.stdout.write(`node-testapp listening on 127.0.0.1:${port}\n`);
  } catch (err) {
    fail(`cannot listen on 127.0.0.1:${cli.port}: ${err.message}`, 1);
  }

  if (cli.recoveryPort !== undefined) {
    const recovery = createInstance(cli, true);
    instances.push(recovery);
    try {
      const port = await listen(recovery.httpServer, cli.recoveryPort);
      // lib/server.js recognises the recovery instance by this exact prefix.
      process.stdout.write(`plugboard-testapp recovery listening on 127.0.0.1:${port}\n`);
    } catch (err) {
      fail(`cannot listen on recovery port: ${err.message}`, 1);
    }
  }
}

main();
