'use strict';
// Small promise helpers. Every wait has a timeout that fails with a clear
// message; nothing here sleeps to synchronise.

const DEFAULT_TIMEOUT_MS = Number(process.env.PLUGBOARD_E2E_WAIT_MS || 3000);

function timeoutError(what, ms) {
  return new Error(`timed out after ${ms} ms waiting for ${what}`);
}

/** Rejects with a clear message if `promise` does not settle within `ms`. */
function withTimeout(promise, ms, what) {
  let timer;
  const t = new Promise((_, reject) => {
    timer = setTimeout(() => reject(timeoutError(what, ms)), ms);
  });
  return Promise.race([promise, t]).finally(() => clearTimeout(timer));
}

function addListener(emitter, event, fn) {
  emitter.on(event, fn);
  return () => (emitter.off ? emitter.off(event, fn) : emitter.removeListener(event, fn));
}

/**
 * Resolves with the argument array of the next `event` on `emitter`
 * (Node EventEmitter or component-emitter). Rejects after `ms`, or as soon as
 * one of the `failOn` events fires (e.g. 'connect_error' while waiting for 'connect').
 */
function once(emitter, event, ms = DEFAULT_TIMEOUT_MS, { failOn = [], what } = {}) {
  const label = what || `'${event}'`;
  return new Promise((resolve, reject) => {
    const offs = [];
    const cleanup = () => { clearTimeout(timer); offs.forEach((off) => off()); };
    const timer = setTimeout(() => { cleanup(); reject(timeoutError(label, ms)); }, ms);
    offs.push(addListener(emitter, event, (...args) => { cleanup(); resolve(args); }));
    for (const bad of failOn) {
      offs.push(addListener(emitter, bad, (...args) => {
        cleanup();
        const detail = args.map((a) => (a instanceof Error ? a.message : JSON.stringify(a))).join(', ');
        reject(new Error(`got '${bad}' (${detail}) while waiting for ${label}`));
      }));
    }
  });
}

/**
 * Resolves with the first argument of the next `event` whose first argument
 * satisfies `predicate`.
 */
function waitFor(emitter, event, predicate, ms = DEFAULT_TIMEOUT_MS, what) {
  const label = what || `'${event}' matching predicate`;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(timeoutError(label, ms)); }, ms);
    const off = addListener(emitter, event, (arg) => {
      if (!predicate(arg)) return;
      clearTimeout(timer);
      off();
      resolve(arg);
    });
  });
}

/**
 * Collects the first argument of `count` occurrences of `event`. Rejects after
 * `ms`, or as soon as one of the `failOn` events fires (e.g. 'close').
 */
function collect(emitter, event, count, ms = DEFAULT_TIMEOUT_MS, what, { failOn = [] } = {}) {
  const label = what || `${count} x '${event}'`;
  return new Promise((resolve, reject) => {
    const seen = [];
    const offs = [];
    const cleanup = () => { clearTimeout(timer); offs.forEach((off) => off()); };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${timeoutError(label, ms).message} (got ${seen.length})`));
    }, ms);
    offs.push(addListener(emitter, event, (arg) => {
      seen.push(arg);
      if (seen.length >= count) { cleanup(); resolve(seen); }
    }));
    for (const bad of failOn) {
      offs.push(addListener(emitter, bad, (...args) => {
        cleanup();
        const detail = args.map((a) => (a instanceof Error ? a.message : JSON.stringify(a))).join(', ');
        reject(new Error(`got '${bad}' (${detail}) while waiting for ${label} (got ${seen.length})`));
      }));
    }
  });
}

/** Records the first argument of every `event` until stop() is called. */
function record(emitter, event) {
  const seen = [];
  const off = addListener(emitter, event, (arg) => seen.push(arg));
  return { seen, stop: () => { off(); return seen; } };
}

/**
 * socket.io-client emit with acknowledgement; resolves with ALL ack arguments
 * (array). Fails with a clear message when the ack does not come within `ms`.
 */
function emitAck(socket, event, args = [], ms = DEFAULT_TIMEOUT_MS) {
  return new Promise((resolve, reject) => {
    let reason = null;
    const onDisconnect = (r) => { reason = r; };
    socket.on('disconnect', onDisconnect);
    socket.timeout(ms).emit(event, ...args, (err, ...res) => {
      socket.off('disconnect', onDisconnect);
      if (!err) { resolve(res); return; }
      const why = reason ? `socket disconnected: ${reason}` : err.message;
      reject(new Error(`no ack for '${event}' within ${ms} ms (${why})`));
    });
  });
}

/** Like emitAck but resolves with the first ack argument only. */
async function emitWithAck(socket, event, ...args) {
  const res = await emitAck(socket, event, args);
  return res[0];
}

/**
 * Per-test registry of client sockets: everything created through it is closed
 * when the test ends (t.after), pass or fail.
 */
function tracker(t) {
  const items = [];
  t.after(() => {
    for (const s of items) {
      try {
        if (typeof s.disconnect === 'function' && s.io) { s.io.reconnection(false); s.disconnect(); s.io.engine && s.io.engine.close(); }
        else if (typeof s.close === 'function') s.close();
      } catch { /* already closed */ }
    }
  });
  return (s) => { items.push(s); return s; };
}

module.exports = {
  DEFAULT_TIMEOUT_MS, withTimeout, once, waitFor, collect, record, emitAck, emitWithAck, tracker,
};
