'use strict';
// Rate limiting per socket and event: over the limit an event is refused with an `error`
// event (its handler does not run), and repeated abuse disconnects the socket.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { sioConnect } = require('./lib/clients');
const { once, emitAck, tracker } = require('./lib/util');
const { useHub, api } = require('./hub-harness');

// A window far longer than the test, so that no count is reset under it.
const hub = useHub({
  config: {
    namespaces: [{
      name: '/',
      rooms: ['public:*'],
      rateLimit: { windowMs: 600000, maxEvents: 3, events: { ping: 1 }, disconnectAfter: 3 },
    }],
  },
});

async function rooms(socket) {
  const res = await api(hub.url, 'GET', `/api/v1/sockets?room=${encodeURIComponent(socket.id)}`);
  return res.body.sockets[0].rooms;
}

test('over the limit an event is refused with an error event, per event name', async (t) => {
  const track = tracker(t);
  const s = await sioConnect(track, hub.url);
  for (const room of ['public:1', 'public:2', 'public:3'])
    assert.deepEqual(await emitAck(s, 'subscribe', [room]), [{ ok: true }]);

  const refused = once(s, 'error');
  s.emit('subscribe', 'public:4', () => assert.fail('a refused event must not be handled'));
  assert.deepEqual(await refused, [{
    event: 'subscribe', message: 'rate limit exceeded: at most 3 "subscribe" events per 600000 ms',
  }]);
  assert.deepEqual(await rooms(s), [s.id, 'public:1', 'public:2', 'public:3'].sort());

  // Another event name has its own count (and here its own limit).
  const pingRefused = once(s, 'error');
  s.emit('ping');
  s.emit('ping');
  assert.equal((await pingRefused)[0].message, 'rate limit exceeded: at most 1 "ping" events per 600000 ms');
  assert.equal(s.connected, true, 'two refusals are tolerated');

  const metrics = await fetch(`${hub.url}/metrics`).then((r) => r.text());
  assert.match(metrics, /^plugboard_rate_limited_events_total\{namespace="\/"\} [2-9]/m);
});

test('repeated abuse disconnects the socket', async (t) => {
  const track = tracker(t);
  const s = await sioConnect(track, hub.url);
  const gone = once(s, 'disconnect');
  let errors = 0;
  s.on('error', () => { errors += 1; });
  for (let i = 0; i < 6; i += 1) s.emit('flood', i);
  assert.equal((await gone)[0], 'io server disconnect');
  assert.equal(errors, 3, 'three refusals, then the disconnect');
});
