'use strict';
// An observer on an instrumented server's admin namespace, connected the way the official
// admin UI connects (docs: /work/shared/docs/admin-protocol.md, section 1). Every incoming
// event is recorded with its arrival time; waits look at the record first, then at what
// comes next, and always have a timeout.
const { io } = require('socket.io-client');
const { DEFAULT_TIMEOUT_MS } = require('./util');

const CONNECT_TIMEOUT_MS = Number(process.env.PLUGBOARD_E2E_WAIT_MS || 5000);

function describe(args) {
  try {
    return JSON.stringify(args).slice(0, 300);
  } catch {
    return String(args);
  }
}

class AdminObserver {
  constructor(socket) {
    this.socket = socket;
    /** @type {{name:string, args:any[], at:number}[]} */
    this.records = [];
    this.waiters = [];
    this.closed = false;
    socket.onAny((name, ...args) => this.record(name, args));
  }

  /** The admin socket's id (once connected). */
  get id() {
    return this.socket.id;
  }

  /** The Engine.IO session id of the admin connection. */
  get engineId() {
    return this.socket.io.engine && this.socket.io.engine.id;
  }

  record(name, args) {
    const entry = { name, args, at: Date.now(), index: this.records.length };
    this.records.push(entry);
    for (const waiter of [...this.waiters]) waiter(entry);
  }

  /** A position in the record: waits given {since: mark} only look at what came after it. */
  mark() {
    return this.records.length;
  }

  /** The recorded events called `name` (all events without a name), oldest first. */
  events(name) {
    return name === undefined ? [...this.records] : this.records.filter((r) => r.name === name);
  }

  /** The argument lists of the recorded `name` events that match `predicate(...args)`. */
  argsOf(name, predicate = () => true) {
    return this.events(name).filter((r) => predicate(...r.args)).map((r) => r.args);
  }

  /**
   * Resolves with the argument list of the first recorded or future `name` event for which
   * `predicate(...args)` is true (only events after `since` when given). Resolves the record
   * entry itself ({name, args, at, index}) with `entry: true`.
   */
  waitFor(name, predicate = () => true, timeoutMs = DEFAULT_TIMEOUT_MS, { since = 0, entry = false } = {}) {
    return this.waitForCount(name, predicate, 1, timeoutMs, { since, entry }).then((found) => found[0]);
  }

  /** Like waitFor, for the first `count` matching events; resolves with the list. */
  waitForCount(name, predicate, count, timeoutMs = DEFAULT_TIMEOUT_MS, { since = 0, entry = false } = {}) {
    const matches = (r) => r.name === name && r.index >= since && predicate(...r.args);
    const pick = (list) => list.map((r) => (entry ? r : r.args));
    const found = this.records.filter(matches);
    if (found.length >= count) return Promise.resolve(pick(found.slice(0, count)));
    return new Promise((resolve, reject) => {
      const waiter = (r) => {
        if (!matches(r)) return;
        found.push(r);
        if (found.length < count) return;
        done();
        resolve(pick(found));
      };
      const timer = setTimeout(() => {
        done();
        const seen = this.events(name).slice(-5).map((r) => describe(r.args)).join('\n  ');
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${count} x '${name}' matching ` +
          `the predicate (got ${found.length}); last '${name}' events:\n  ${seen || '(none)'}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
      };
      this.waiters.push(waiter);
    });
  }

  /** Sends an admin command (a plain event on the admin namespace). */
  send(cmd, ...args) {
    this.socket.emit(cmd, ...args);
  }

  /**
   * Resolves once everything the server sent on this connection before it handled the
   * commands sent so far has arrived: a throw-away socket on the same Engine.IO connection
   * connects to `nsp`; its CONNECT is handled after the earlier packets, and the ack
   * travels behind what they caused. Resolves with the probe socket's id (it is then gone).
   */
  async sync(nsp = '/', timeoutMs = DEFAULT_TIMEOUT_MS) {
    const probe = this.socket.io.socket(nsp, {});
    try {
      await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for the sync probe on ${nsp}`)), timeoutMs);
        probe.once('connect', () => { clearTimeout(timer); resolve(); });
        probe.once('connect_error', (err) => { clearTimeout(timer); reject(new Error(`sync probe refused: ${err.message}`)); });
        probe.connect();
      });
      return probe.id;
    } finally {
      probe.disconnect();
    }
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.socket.io.reconnection(false);
    this.socket.disconnect();
    if (this.socket.io.engine) this.socket.io.engine.close();
  }
}

/**
 * Connects to `url` + `namespace` with the admin UI's options (forceNew, withCredentials,
 * no reconnection). Resolves with an AdminObserver once connected; rejects with the
 * connect_error (its message as sent by the server) and closes the client otherwise.
 * @param {string} url server base URL, e.g. http://127.0.0.1:3000
 * @param {{namespace?: string, auth?: object, transports?: string[], parser?: object,
 *          path?: string, timeoutMs?: number, track?: Function}} [options]
 *   track: the tracker of lib/util.js, so that the observer is closed when the test ends
 */
function connectAdmin(url, {
  namespace = '/admin',
  auth,
  transports = ['polling', 'websocket'],
  parser,
  path,
  timeoutMs = CONNECT_TIMEOUT_MS,
  track,
} = {}) {
  const options = {
    forceNew: true,
    withCredentials: true,
    reconnection: false,
    transports,
    autoConnect: false,
  };
  if (auth !== undefined) options.auth = auth;
  if (parser) options.parser = parser;
  if (path) options.path = path;
  const socket = io(url + namespace, options);
  const observer = new AdminObserver(socket);
  if (track) track(observer);
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      socket.off('connect', onConnect);
      socket.off('connect_error', onError);
    };
    const onConnect = () => { cleanup(); resolve(observer); };
    const onError = (err) => {
      cleanup();
      observer.close();
      const error = new Error(err.message);
      error.data = err.data;
      reject(error);
    };
    const timer = setTimeout(() => {
      cleanup();
      observer.close();
      reject(new Error(`timed out after ${timeoutMs} ms connecting to ${url}${namespace}`));
    }, timeoutMs);
    socket.on('connect', onConnect);
    socket.on('connect_error', onError);
    socket.connect();
  });
}

module.exports = { connectAdmin, AdminObserver };
