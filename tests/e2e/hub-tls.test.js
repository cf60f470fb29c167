'use strict';
// TLS: https and wss on the same port, with a throwaway certificate made by openssl; on the
// WebSocket engine PLUGBOARD_WS_ENGINE names (qt by default).
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const https = require('node:https');
const net = require('node:net');
const path = require('node:path');
const { sioConnect } = require('./lib/clients');
const { once, emitAck, tracker, withTimeout } = require('./lib/util');
const { startHub, runPlugboard, tempDir, API_KEY } = require('./hub-harness');

let hub;
let ca;
let dir;

before(async () => {
  dir = tempDir();
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')],
  { stdio: 'ignore' });
  ca = fs.readFileSync(path.join(dir, 'cert.pem'));
  hub = await startHub({
    config: { namespaces: [{ name: '/', rooms: ['public:*'] }], wsEngine: process.env.PLUGBOARD_WS_ENGINE || 'qt' },
    args: ['--tls-cert', path.join(dir, 'cert.pem'), '--tls-key', path.join(dir, 'key.pem')],
  });
});

after(async () => {
  if (hub) await hub.stop();
});

function request(method, pathname, body) {
  return withTimeout(new Promise((resolve, reject) => {
    const req = https.request(`${hub.url}${pathname}`, {
      method, ca, headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
    }, (res) => {
      const secure = Boolean(res.socket && res.socket.encrypted);
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text), secure }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  }), 5000, `${method} ${pathname}`);
}

test('https serves the API and /health, verified against the certificate', async () => {
  assert.match(hub.url, /^https:/);
  const health = await request('GET', '/health');
  assert.equal(health.status, 200);
  assert.equal(health.secure, true);
  assert.equal(health.body.status, 'ok');
});

for (const transport of ['websocket', 'polling']) {
  test(`a client connects over ${transport === 'websocket' ? 'wss' : 'https polling'} and gets API events`, async (t) => {
    const track = tracker(t);
    const s = await sioConnect(track, hub.url, '/', { transports: [transport], ca });
    assert.deepEqual(await emitAck(s, 'subscribe', [`public:${transport}`]), [{ ok: true }]);
    const got = once(s, 'data-changed');
    const res = await request('POST', '/api/v1/emit', { rooms: [`public:${transport}`], event: 'data-changed', args: ['tls'] });
    assert.deepEqual(res.body, { recipients: 1 });
    assert.deepEqual(await got, ['tls']);
    assert.equal(s.io.engine.transport.name, transport);
  });
}

test('plain HTTP on the TLS port gets no HTTP answer', async () => {
  const reply = await withTimeout(new Promise((resolve) => {
    const socket = net.connect(hub.port, '127.0.0.1', () => socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n'));
    let data = '';
    socket.on('data', (c) => { data += c; });
    socket.on('close', () => resolve(data));
    socket.on('error', () => resolve(data));
  }), 5000, 'the TLS port to close a plain HTTP connection');
  // As Node's https server: the TLS handshake fails and no HTTP is spoken at all.
  assert.doesNotMatch(reply, /HTTP\//);
  assert.ok(reply.length < 64, `at most a TLS alert, got ${reply.length} bytes`);
});

test('an unreadable certificate stops the program with a clear error', async () => {
  const run = await runPlugboard(['--headless', '--port', '0', '--tls-cert', path.join(dir, 'missing.pem'),
    '--tls-key', path.join(dir, 'key.pem')]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /TLS certificate .*missing\.pem: cannot read/);
  fs.writeFileSync(path.join(dir, 'garbage.pem'), 'not a key');
  const bad = await runPlugboard(['--headless', '--port', '0', '--tls-cert', path.join(dir, 'cert.pem'),
    '--tls-key', path.join(dir, 'garbage.pem')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /TLS key .*garbage\.pem: no unencrypted PEM private key/);
});
