'use strict';
// Operations: /health, /metrics (Prometheus text), JSON log lines on stderr, and the files
// the program serves itself (client bundle, demo page).
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { sioConnect } = require('./lib/clients');
const { once, emitAck, tracker } = require('./lib/util');
const { useHub, startHub, api } = require('./hub-harness');

const BUNDLE = path.join(__dirname, 'node_modules', 'socket.io-client', 'dist', 'socket.io.js');

const hub = useHub({
  config: {
    log: { format: 'json', level: 'info' },
    demo: true,
    namespaces: [{ name: '/', rooms: ['public:*'] }, { name: '/chat', rooms: ['lobby'] }],
  },
});

/** Parses the Prometheus text format into {name{labels}: value}. */
function parseMetrics(text) {
  const samples = {};
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-z_]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    assert.ok(m, `well-formed sample line: ${line}`);
    samples[m[1]] = Number(m[2]);
  }
  return samples;
}

async function metrics() {
  const res = await fetch(`${hub.url}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  return parseMetrics(await res.text());
}

test('/health reports status, uptime and connections', async (t) => {
  const track = tracker(t);
  await sioConnect(track, hub.url, '/', { transports: ['websocket'] });
  const res = await api(hub.url, 'GET', '/health', undefined, { key: null });
  assert.equal(res.status, 200);
  assert.equal(res.body.status, 'ok');
  assert.equal(typeof res.body.uptime, 'number');
  assert.ok(res.body.connections >= 1);
  assert.ok(res.body.sockets >= 1);
  assert.equal((await api(hub.url, 'POST', '/health', {}, { key: null })).status, 405);
});

test('/metrics counts connections by namespace and transport, events, bytes, rooms, API calls, disconnects', async (t) => {
  const track = tracker(t);
  const before = await metrics();
  const ws = await sioConnect(track, hub.url, '/chat', { transports: ['websocket'] });
  const polling = await sioConnect(track, hub.url, '/chat', { transports: ['polling'] });
  assert.deepEqual(await emitAck(ws, 'subscribe', ['lobby']), [{ ok: true }]);
  const got = once(ws, 'data-changed');
  await api(hub.url, 'POST', '/api/v1/emit', { namespace: '/chat', rooms: ['lobby'], event: 'data-changed', args: ['x'] });
  await got;
  await api(hub.url, 'POST', '/api/v1/emit', { namespace: '/nowhere', event: 'x' });

  const now = await metrics();
  assert.equal(now['plugboard_sockets{namespace="/chat",transport="websocket"}'], 1);
  assert.equal(now['plugboard_sockets{namespace="/chat",transport="polling"}'], 1);
  assert.ok(now['plugboard_engine_connections{transport="websocket"}'] >= 1);
  assert.equal(now['plugboard_rooms{namespace="/chat"}'], 1);
  assert.ok(now.plugboard_events_received_total >= (before.plugboard_events_received_total ?? 0) + 1);
  assert.ok(now.plugboard_events_sent_total >= (before.plugboard_events_sent_total ?? 0) + 1);
  assert.ok(now.plugboard_bytes_received_total > before.plugboard_bytes_received_total);
  assert.ok(now.plugboard_bytes_sent_total > before.plugboard_bytes_sent_total);
  assert.ok(now.plugboard_connections_total >= before.plugboard_connections_total + 2);
  assert.ok(now['plugboard_http_api_requests_total{endpoint="emit",status="200"}'] >= 1);
  assert.ok(now['plugboard_http_api_requests_total{endpoint="emit",status="404"}'] >= 1);
  assert.ok(now.plugboard_uptime_seconds >= 0);
  assert.ok(now.process_resident_memory_bytes > 0);

  const gone = once(polling, 'disconnect');
  await api(hub.url, 'POST', '/api/v1/disconnect', { namespace: '/chat', rooms: [polling.id] });
  await gone;
  const after = await metrics();
  const key = 'plugboard_disconnects_total{namespace="/chat",reason="server namespace disconnect"}';
  assert.equal(after[key], (before[key] ?? 0) + 1);
});

test('logs are JSON lines with time, level, category and message', async () => {
  await api(hub.url, 'POST', '/api/v1/emit', { event: 'log-me' });
  const lines = hub.output().trim().split('\n');
  assert.ok(lines.length >= 2);
  for (const line of lines) {
    const entry = JSON.parse(line);
    assert.match(entry.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(['debug', 'info', 'warning', 'error'].includes(entry.level), line);
    assert.equal(typeof entry.category, 'string');
    assert.equal(typeof entry.message, 'string');
  }
  assert.ok(lines.some((l) => /"message":"api POST \/api\/v1\/emit 200/.test(l)), 'API calls are logged');
});

test('the client bundle is served at /socket.io/socket.io.js like Node\'s serveClient', async () => {
  const res = await fetch(`${hub.url}/socket.io/socket.io.js`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /javascript/);
  assert.equal(await res.text(), fs.readFileSync(BUNDLE, 'utf8'));
  const etag = res.headers.get('etag');
  assert.ok(etag);
  const again = await fetch(`${hub.url}/socket.io/socket.io.js`, { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  assert.equal((await fetch(`${hub.url}/socket.io/socket.io.min.js`)).status, 200);
});

test('a missing client bundle gets a 404 that says what to do', async () => {
  const bare = await startHub({ args: ['--client-bundle-dir', '/nonexistent/dist'] });
  try {
    const res = await fetch(`${bare.url}/socket.io/socket.io.js`);
    assert.equal(res.status, 404);
    assert.match(await res.text(), /socket\.io client bundle not found: socket\.io\.js is not in \/nonexistent\/dist\. Install the npm package socket\.io-client/);
    assert.equal((await fetch(`${bare.url}/demo/`)).status, 404, 'no demo unless asked for');
  } finally {
    await bare.stop();
  }
});

test('the demo page and its files are served at /demo/', async () => {
  const page = await fetch(`${hub.url}/demo/`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type'), /text\/html/);
  const html = await page.text();
  assert.match(html, /<script src="\.\.\/socket\.io\/socket\.io\.min\.js"><\/script>/);
  assert.match(html, /<script src="demo\.js"><\/script>/);
  assert.equal((await fetch(`${hub.url}/demo/demo.js`)).status, 200);
  assert.equal((await fetch(`${hub.url}/demo/demo.css`)).status, 200);
  assert.equal((await fetch(`${hub.url}/demo/secret.txt`)).status, 404);
  const redirect = await fetch(`${hub.url}/demo`, { redirect: 'manual' });
  assert.equal(redirect.status, 301);
  assert.equal(redirect.headers.get('location'), '/demo/');
});
