'use strict';
// The reference for the admin-ui protocol: the npm socket.io server instrumented with
// instrument() from @socket.io/admin-ui (docs: /work/shared/docs/admin-protocol.md).
//
//   node servers/node-admin-server.js --port 0 [--auth none|basic] [--password-hash HASH]
//        [--readonly] [--mode development|production] [--server-id ID]
//        [--namespaces /,/chat] [--serve-ui]
//
// Basic auth: username "admin", password "secret" (or whatever --password-hash was made from).
// The app namespaces accept every connection and have no handlers: everything the admin
// observer sees comes from the instrumentation alone.
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { Server } = require('socket.io');
const { instrument } = require('@socket.io/admin-ui');
const bcrypt = require('bcryptjs');

const NAME = 'node-admin-server';
const USERNAME = 'admin';
const PASSWORD = 'secret';
const UI_PREFIX = '/admin/';
const UI_DIR = path.join(path.dirname(require.resolve('@socket.io/admin-ui/package.json')), 'ui', 'dist');
const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

function fail(message, code = 2) {
  process.stderr.write(`${NAME}: ${message}\n`);
  process.exit(code);
}

function parseCommandLine() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '3000' },
        auth: { type: 'string', default: 'none' },
        'password-hash': { type: 'string' },
        readonly: { type: 'boolean', default: false },
        mode: { type: 'string', default: 'development' },
        'server-id': { type: 'string' },
        namespaces: { type: 'string', default: '/' },
        'serve-ui': { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    fail(err.message);
  }
  if (!/^\d+$/.test(values.port) || Number(values.port) > 65535) fail('invalid --port');
  if (values.auth !== 'none' && values.auth !== 'basic') fail('--auth must be none or basic');
  if (values.mode !== 'development' && values.mode !== 'production') fail('--mode must be development or production');
  if (values['password-hash'] !== undefined && values.auth !== 'basic') fail('--password-hash needs --auth basic');
  const namespaces = values.namespaces.split(',').map((n) => n.trim()).filter(Boolean);
  for (const name of namespaces) if (!name.startsWith('/')) fail(`namespace "${name}" must start with /`);
  return {
    port: Number(values.port),
    auth: values.auth,
    passwordHash: values['password-hash'],
    readonly: values.readonly,
    mode: values.mode,
    serverId: values['server-id'],
    namespaces,
    serveUi: values['serve-ui'],
  };
}

/** The file under UI_DIR that `pathname` (below /admin/) names, or null when it leaves the directory. */
function uiFile(pathname) {
  let relative;
  try {
    relative = decodeURIComponent(pathname.slice(UI_PREFIX.length));
  } catch {
    return null;
  }
  if (relative === '' || relative.endsWith('/')) relative += 'index.html';
  const file = path.resolve(UI_DIR, relative);
  if (file !== UI_DIR && !file.startsWith(UI_DIR + path.sep)) return null;
  return file;
}

function sendText(res, status, text, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(text);
}

/** Requests that Socket.IO does not claim: the UI's files (with --serve-ui), else 404. */
function requestHandler(cli) {
  return (req, res) => {
    const { pathname } = new URL(req.url, 'http://localhost');
    if (!cli.serveUi || !(pathname === '/admin' || pathname.startsWith(UI_PREFIX))) {
      sendText(res, 404, 'Not Found');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'Method Not Allowed', { Allow: 'GET, HEAD' });
      return;
    }
    if (pathname === '/admin') {
      sendText(res, 301, 'Moved to /admin/', { Location: UI_PREFIX });
      return;
    }
    const file = uiFile(pathname);
    if (!file) {
      sendText(res, 404, 'Not Found');
      return;
    }
    fs.readFile(file, (err, body) => {
      if (err) {
        sendText(res, 404, 'Not Found');
        return;
      }
      res.writeHead(200, {
        'Content-Type': CONTENT_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream',
        'Content-Length': body.length,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  };
}

function authOption(cli) {
  if (cli.auth === 'none') return false;
  return {
    type: 'basic',
    username: USERNAME,
    password: cli.passwordHash || bcrypt.hashSync(PASSWORD, 8),
  };
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
  const httpServer = http.createServer(requestHandler(cli));
  const io = new Server(httpServer, {
    serveClient: false,
    cors: { origin: true, credentials: true },
  });
  for (const name of cli.namespaces) io.of(name).on('connection', () => {});

  const options = { auth: authOption(cli), readonly: cli.readonly, mode: cli.mode };
  if (cli.serverId) options.serverId = cli.serverId;
  try {
    instrument(io, options);
  } catch (err) {
    fail(`instrument(): ${err.message}`);
  }

  const shutdown = () => {
    // Clients that keep their connections open must not hold the exit up.
    setTimeout(() => process.exit(0), 500).unref();
    io.close(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);

  try {
    const port = await listen(httpServer, cli.port);
    process.stdout.write(`${NAME} listening on 127.0.0.1:${port}\n`);
  } catch (err) {
    fail(`cannot listen on 127.0.0.1:${cli.port}: ${err.message}`, 1);
  }
}

main();
