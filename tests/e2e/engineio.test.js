'use strict';
// Raw Engine.IO echo endpoint (/engine.io/) driven by the real engine.io-client.
const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const { useServer } = require('./lib/server');
const { once, collect, tracker, withTimeout } = require('./lib/util');
const { eio, eioOpen, dropPongs } = require('./lib/clients');

const srv = useServer();

const EXPECTED_HANDSHAKE = { pingInterval: 300, pingTimeout: 200, maxPayload: 1000000 };

async function echoRoundTrip(s, messages, ms) {
  const got = collect(s, 'message', messages.length, ms, `${messages.length} echoes`, { failOn: ['close'] });
  for (const m of messages) s.send(m);
  return got;
}

describe('engine.io transports', () => {
  test('polling only: handshake values and ordered echo', async (t) => {
    const track = tracker(t);
    const s = eio(track, srv.url, { transports: ['polling'] });
    const opened = once(s, 'open', undefined, { failOn: ['close'] });
    const [hs] = await once(s, 'handshake', undefined, { failOn: ['error', 'close'] });
    assert.equal(typeof hs.sid, 'string');
    assert.ok(hs.sid.length > 0, 'sid must not be empty');
    assert.deepEqual(hs.upgrades, ['websocket']);
    for (const [k, v] of Object.entries(EXPECTED_HANDSHAKE)) assert.equal(hs[k], v, k);
    await opened;
    const msgs = Array.from({ length: 50 }, (_, i) => `poll-${i}`);
    assert.deepEqual(await echoRoundTrip(s, msgs), msgs);
    assert.equal(s.transport.name, 'polling');
  });

  test('websocket only: handshake advertises no upgrades, ordered echo', async (t) => {
    const track = tracker(t);
    const s = eio(track, srv.url, { transports: ['websocket'] });
    const opened = once(s, 'open', undefined, { failOn: ['close'] });
    const [hs] = await once(s, 'handshake', undefined, { failOn: ['error', 'close'] });
    assert.equal(typeof hs.sid, 'string');
    assert.deepEqual(hs.upgrades, []);
    for (const [k, v] of Object.entries(EXPECTED_HANDSHAKE)) assert.equal(hs[k], v, k);
    await opened;
    assert.equal(s.transport.name, 'websocket');
    const msgs = Array.from({ length: 50 }, (_, i) => `ws-${i} ünïcödé ✓`);
    assert.deepEqual(await echoRoundTrip(s, msgs), msgs);
  });

  test('upgrade polling -> websocket under load loses and reorders nothing', async (t) => {
    const track = tracker(t);
    const s = eio(track, srv.url); // polling first, then probe websocket
    // Hold the websocket probe back until some echoes went over polling, so the
    // switch happens in the middle of the stream.
    const origProbe = s._probe;
    assert.equal(typeof origProbe, 'function', 'engine.io-client internals changed: no _probe');
    let heldProbe = null;
    s._probe = (name) => { heldProbe = name; };
    const upgraded = once(s, 'upgrade', 5000, { failOn: ['upgradeError', 'close'] });
    let echoedAtUpgrade = -1;
    s.once('upgrade', () => { echoedAtUpgrade = got.length; });

    const MIN = 200;
    const AROUND = 30;
    const MAX = 5000;
    const WINDOW = 16;
    const got = [];
    let next = 0;
    const more = () => next < MAX &&
      (next < MIN || echoedAtUpgrade < 0 || got.length - echoedAtUpgrade < AROUND);
    const all = new Promise((resolve) => {
      s.on('message', (m) => {
        got.push(m);
        if (got.length === AROUND && heldProbe) origProbe.call(s, heldProbe);
        if (more()) s.send(`m${next++}`);
        else if (got.length === next) resolve();
      });
    });
    s.on('open', () => { for (let k = 0; k < WINDOW; k++) s.send(`m${next++}`); });
    s.on('upgrading', () => { for (let k = 0; k < WINDOW && more(); k++) s.send(`m${next++}`); });
    await upgraded;
    await withTimeout(all, 5000, 'all echoes');
    assert.equal(s.transport.name, 'websocket');
    assert.ok(next >= MIN, `${next} messages sent`);
    assert.deepEqual(got, Array.from({ length: next }, (_, i) => `m${i}`), 'every message echoed once, in order');
    assert.ok(echoedAtUpgrade >= AROUND, `echoes before the switch: ${echoedAtUpgrade}`);
    assert.ok(got.length - echoedAtUpgrade >= AROUND, 'echoes after the switch');
    t.diagnostic(`${next} messages, ${echoedAtUpgrade} echoed before the switch`);
  });

  for (const transport of ['polling', 'websocket']) {
    test(`binary both ways over ${transport}: binary stays binary, text stays text`, async (t) => {
      const track = tracker(t);
      const s = await eioOpen(track, srv.url, { transports: [transport] });
      const bytes = Buffer.from([0, 1, 2, 3, 0xfe, 0xff, 0x1e, 0x34]);
      const ab = new Uint8Array([9, 8, 7, 6, 5]).buffer;
      const big = Buffer.alloc(64 * 1024, 0xab);
      const got = await echoRoundTrip(s, [bytes, 'bAQIDBA==', ab, '4text', big, '']);
      assert.ok(Buffer.isBuffer(got[0]), 'Buffer echoed as binary');
      assert.deepEqual(got[0], bytes);
      assert.equal(got[1], 'bAQIDBA==', 'base64-looking text stays text');
      assert.ok(Buffer.isBuffer(got[2]), 'ArrayBuffer echoed as binary');
      assert.deepEqual(got[2], Buffer.from(ab));
      assert.equal(got[3], '4text');
      assert.ok(Buffer.isBuffer(got[4]));
      assert.ok(got[4].equals(big), '64 KiB binary echoed intact');
      // engine.io-client decodes an empty message packet ("4") as undefined
      assert.equal(got[5] ?? '', '', 'empty text message echoed as empty text');
    });
  }
});

describe('engine.io heartbeat', () => {
  for (const transport of ['polling', 'websocket']) {
    test(`stays connected across several ping intervals (${transport})`, async (t) => {
      const track = tracker(t);
      const s = await eioOpen(track, srv.url, { transports: [transport] });
      const t0 = Date.now();
      await collect(s, 'ping', 5, 4000, '5 server pings', { failOn: ['close'] });
      const elapsed = Date.now() - t0;
      assert.equal(s.readyState, 'open');
      // 5 pings at a 300 ms interval cannot arrive much faster than 4 intervals
      assert.ok(elapsed >= 1000, `5 pings arrived in ${elapsed} ms, faster than pingInterval 300 allows`);
      const [echo] = await echoRoundTrip(s, ['still alive']);
      assert.equal(echo, 'still alive');
    });

    test(`server closes a client that stops answering pings (${transport})`, async (t) => {
      const track = tracker(t);
      const s = await eioOpen(track, srv.url, { transports: [transport] });
      const dropped = dropPongs(s);
      const t0 = Date.now();
      const [reason] = await once(s, 'close', 3000, { what: 'server-side ping timeout close' });
      const elapsed = Date.now() - t0;
      assert.ok(dropped.count >= 1, 'at least one pong was withheld');
      // client watchdog is disabled, so the close must come from the server
      assert.equal(reason, 'transport close');
      assert.ok(elapsed < 2000, `closed after ${elapsed} ms, expected ~pingInterval+pingTimeout`);
    });
  }
});

describe('engine.io payload limit', () => {
  test('oversize message over polling: client sees transport error', async (t) => {
    const track = tracker(t);
    const s = await eioOpen(track, srv.url, { transports: ['polling'] });
    const closed = once(s, 'close', 5000, { what: 'close after oversize POST' });
    s.send('x'.repeat(1100 * 1000));
    const [reason] = await closed;
    assert.equal(reason, 'transport error');
  });

  test('oversize message over polling: raw POST refused with 413', async (t) => {
    const base = `${srv.url}/engine.io/?EIO=4&transport=polling`;
    const oversize = '4' + 'y'.repeat(1100 * 1000); // built before the handshake: the raw session never pongs
    const hs = await fetch(base);
    assert.equal(hs.status, 200);
    const body = await hs.text();
    assert.equal(body[0], '0');
    const { sid } = JSON.parse(body.slice(1));
    const withSid = `${base}&sid=${encodeURIComponent(sid)}`;
    // The server drops the rest of the body after its answer instead of resetting the
    // connection, so the 413 always arrives.
    const res = await fetch(withSid, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      body: oversize,
    });
    assert.equal(res.status, 413);
    await res.arrayBuffer();
  });

  test('oversize message over websocket: connection closed', async (t) => {
    const track = tracker(t);
    const s = await eioOpen(track, srv.url, { transports: ['websocket'] });
    const closed = once(s, 'close', 5000, { what: 'close after oversize frame' });
    s.send('z'.repeat(1100 * 1000));
    const [reason] = await closed;
    assert.ok(['transport close', 'transport error'].includes(reason), `reason ${reason}`);
  });

  test('message just below the limit is echoed (websocket)', async (t) => {
    const track = tracker(t);
    const s = await eioOpen(track, srv.url, { transports: ['websocket'] });
    const payload = 'k'.repeat(990 * 1000);
    const [echo] = await echoRoundTrip(s, [payload], 5000);
    assert.equal(echo.length, payload.length);
    assert.ok(echo === payload, 'echo identical');
  });
});

describe('engine.io raw HTTP', () => {
  const get = (query, init) => fetch(`${srv.url}/engine.io/?${query}`, init);
  const expectError = async (res, status, code, message) => {
    assert.equal(res.status, status);
    assert.match(res.headers.get('content-type') || '', /^application\/json/);
    assert.deepEqual(await res.json(), { code, message });
  };

  test('unknown sid -> 400 code 1', async () => {
    await expectError(await get('EIO=4&transport=polling&sid=doesnotexist'), 400, 1, 'Session ID unknown');
  });

  test('unknown sid on POST -> 400 code 1', async () => {
    const res = await get('EIO=4&transport=polling&sid=doesnotexist', { method: 'POST', body: '4hi' });
    await expectError(res, 400, 1, 'Session ID unknown');
  });

  test('EIO=3 -> 400 code 5', async () => {
    await expectError(await get('EIO=3&transport=polling'), 400, 5, 'Unsupported protocol version');
  });

  test('unknown transport -> 400 code 0', async () => {
    await expectError(await get('EIO=4&transport=carrier-pigeon'), 400, 0, 'Transport unknown');
  });

  test('handshake with POST -> 400 code 2', async () => {
    await expectError(await get('EIO=4&transport=polling', { method: 'POST', body: '4hi' }), 400, 2,
      'Bad handshake method');
  });

  test('polling handshake body', async () => {
    const res = await get('EIO=4&transport=polling');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') || '', /^text\/plain/);
    const body = await res.text();
    assert.equal(body[0], '0', 'open packet');
    const hs = JSON.parse(body.slice(1));
    assert.deepEqual(Object.keys(hs).sort(), ['maxPayload', 'pingInterval', 'pingTimeout', 'sid', 'upgrades']);
    assert.equal(typeof hs.sid, 'string');
    assert.deepEqual(hs.upgrades, ['websocket']);
    for (const [k, v] of Object.entries(EXPECTED_HANDSHAKE)) assert.equal(hs[k], v, k);
  });

  for (const path of ['/engine.io/', '/socket.io/']) {
    test(`CORS preflight OPTIONS on ${path} -> 204 with allow headers`, async () => {
      const origin = 'http://example.test:8080';
      const res = await fetch(`${srv.url}${path}?EIO=4&transport=polling`, {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type,x-plugboard-test',
        },
      });
      assert.equal(res.status, 204);
      const acao = res.headers.get('access-control-allow-origin');
      assert.ok(acao === '*' || acao === origin, `Access-Control-Allow-Origin: ${acao}`);
      const methods = (res.headers.get('access-control-allow-methods') || '').toUpperCase();
      for (const m of ['GET', 'POST']) assert.ok(methods.split(/\s*,\s*/).includes(m), `Allow-Methods has ${m}: ${methods}`);
      const allowHeaders = (res.headers.get('access-control-allow-headers') || '').toLowerCase();
      assert.ok(allowHeaders.includes('x-plugboard-test'), `Allow-Headers echoes request headers: ${allowHeaders}`);
      assert.ok(allowHeaders.includes('content-type'), `Allow-Headers echoes request headers: ${allowHeaders}`);
    });

    test(`CORS header on a polling GET with Origin (${path})`, async () => {
      const origin = 'http://example.test:8080';
      const res = await fetch(`${srv.url}${path}?EIO=4&transport=polling`, { headers: { Origin: origin } });
      assert.equal(res.status, 200);
      const acao = res.headers.get('access-control-allow-origin');
      assert.ok(acao === '*' || acao === origin, `Access-Control-Allow-Origin: ${acao}`);
      assert.equal((await res.text())[0], '0');
    });
  }

  test('CORS header on an error response', async () => {
    const origin = 'http://example.test:8080';
    const res = await get('EIO=4&transport=polling&sid=doesnotexist', { headers: { Origin: origin } });
    assert.equal(res.status, 400);
    const acao = res.headers.get('access-control-allow-origin');
    assert.ok(acao === '*' || acao === origin, `Access-Control-Allow-Origin: ${acao}`);
    await res.arrayBuffer();
  });
});
