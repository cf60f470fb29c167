'use strict';
// Factories for real engine.io-client / socket.io-client instances.
const { Socket: EioSocket } = require('engine.io-client');
const { io, Manager } = require('socket.io-client');
const { once } = require('./util');

const FAST_RECONNECT = { reconnectionDelay: 100, reconnectionDelayMax: 200, randomizationFactor: 0 };

/** Raw Engine.IO client (default path /engine.io/), not yet open. */
function eio(track, url, opts = {}) {
  return track(new EioSocket(url, { path: '/engine.io/', ...opts }));
}

/** Raw Engine.IO client, resolved once the handshake completed. */
async function eioOpen(track, url, opts = {}) {
  const s = eio(track, url, opts);
  await once(s, 'open', undefined, { failOn: ['error', 'close'], what: 'engine.io open' });
  return s;
}

/** socket.io-client socket on its own Manager (forceNew), not awaited. */
function sio(track, url, nsp = '/', opts = {}) {
  return track(io(url + nsp, { forceNew: true, ...FAST_RECONNECT, ...opts }));
}

/** socket.io-client socket, resolved once connected to its namespace. */
async function sioConnect(track, url, nsp = '/', opts = {}) {
  const s = sio(track, url, nsp, opts);
  await once(s, 'connect', undefined, { failOn: ['connect_error'], what: `connect to ${nsp}` });
  return s;
}

/** A Manager shared by several namespace sockets (multiplexing). */
function manager(track, url, opts = {}) {
  const m = new Manager(url, { ...FAST_RECONNECT, ...opts });
  track({ close: () => { m.reconnection(false); m.engine && m.engine.close(); } });
  return m;
}

/**
 * Makes an engine.io-client socket silently stop answering server pings
 * (no pong sent) and disables the client's own heartbeat watchdog, so that only
 * the SERVER can notice the dead peer.
 */
function dropPongs(engineSocket) {
  const orig = engineSocket._sendPacket;
  if (typeof orig !== 'function') throw new Error('engine.io-client internals changed: no _sendPacket');
  const dropped = { count: 0 };
  engineSocket._sendPacket = function patched(type, ...rest) {
    if (type === 'pong') { dropped.count += 1; return undefined; }
    return orig.call(this, type, ...rest);
  };
  engineSocket._resetPingTimeout = function noWatchdog() {
    this.clearTimeoutFn(this._pingTimeoutTimer);
  };
  engineSocket.clearTimeoutFn(engineSocket._pingTimeoutTimer);
  return dropped;
}

module.exports = { eio, eioOpen, sio, sioConnect, manager, dropPongs, FAST_RECONNECT, EioSocket };
