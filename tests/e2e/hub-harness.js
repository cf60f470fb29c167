'use strict';
// Spawns the real `plugboard --headless` program for the hub-*.test.js suites, with a
// config file written for the test, and calls its HTTP API. The binary is
// PLUGBOARD_BIN (default <repo>/build/bin/plugboard).
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { withTimeout } = require('./lib/util');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const BINARY = (process.env.PLUGBOARD_BIN || '').trim() || path.join(REPO_ROOT, 'build', 'bin', 'plugboard');
const READY_TIMEOUT_MS = Number(process.env.PLUGBOARD_READY_TIMEOUT_MS || 10000);
const STOP_TIMEOUT_MS = 5000;
const READY_RE = /listening on 127\.0\.0\.1:(\d+)/;
const API_KEY = 'hub-test-api-key-0123456789';

function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plugboard-hub-'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `config` (an object, or text as is) to a fresh file; returns its path. */
function writeConfig(config, name = 'plugboard.json') {
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  return file;
}

function childEnv(env) {
  const merged = { ...process.env, QT_NO_GLIB: '1', ...env };
  if (!('PLUGBOARD_API_KEY' in env)) delete merged.PLUGBOARD_API_KEY;
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  return merged;
}

/** Runs plugboard to its end; resolves {code, signal, stdout, stderr}. */
function runPlugboard(args, { env = {}, timeoutMs = 10000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`plugboard ${args.join(' ')} did not exit within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.once('error', (err) => { clearTimeout(timer); reject(err); });
    child.once('exit', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr }); });
  });
}

/**
 * Starts `plugboard --headless` on 127.0.0.1 and a free port, with `config` (object) as its
 * config file when given. Resolves once it logged its readiness line.
 */
function startHub({ config, args = [], env = {}, apiKey = API_KEY } = {}) {
  const fullArgs = ['--headless', '--host', '127.0.0.1', '--port', '0'];
  if (config) fullArgs.push('--config', writeConfig(config));
  fullArgs.push(...args);
  const childEnvironment = apiKey ? { PLUGBOARD_API_KEY: apiKey, ...env } : env;
  return new Promise((resolve, reject) => {
    const child = spawn(BINARY, fullArgs, { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv(childEnvironment) });
    let log = '';
    let settled = false;
    let exited = false;
    const killOnExit = () => { if (!exited) child.kill('SIGKILL'); };
    process.on('exit', killOnExit);
    const exit = new Promise((res) => child.once('exit', (code, signal) => {
      exited = true;
      process.removeListener('exit', killOnExit);
      res({ code, signal });
    }));
    const fail = (msg) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      killOnExit();
      reject(new Error(`${msg}\ncommand: ${BINARY} ${fullArgs.join(' ')}\n--- output ---\n${log}`));
    };
    const timer = setTimeout(() => fail(`no readiness line within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    const onData = (chunk) => {
      log += chunk;
      if (process.env.PLUGBOARD_E2E_VERBOSE) process.stderr.write(chunk);
      const m = READY_RE.exec(log);
      if (m && !settled) {
        settled = true;
        clearTimeout(timer);
        const port = Number(m[1]);
        resolve({
          port,
          url: `${args.includes('--tls-cert') ? 'https' : 'http'}://127.0.0.1:${port}`,
          child,
          exit,
          output: () => log,
          /** Sends `signal`; resolves {code, signal} once the program exited. */
          async stop(signal = 'SIGTERM') {
            if (exited) return exit;
            child.kill(signal);
            try {
              return await withTimeout(exit, STOP_TIMEOUT_MS, 'plugboard to exit');
            } catch (err) {
              killOnExit();
              throw err;
            }
          },
        });
      }
    };
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (err) => fail(`cannot start ${BINARY}: ${err.message}` +
      (err.code === 'ENOENT' ? ' (build it first, or set PLUGBOARD_BIN)' : '')));
    child.once('exit', (code, signal) => fail(`plugboard exited before it was ready (code ${code}, signal ${signal})`));
  });
}

/** One hub for the calling test file (node:test before/after hooks). */
function useHub(options) {
  const { before, after } = require('node:test');
  const holder = {};
  before(async () => { Object.assign(holder, await startHub(options)); });
  after(async () => { if (holder.stop) await holder.stop(); });
  return holder;
}

/**
 * Calls the HTTP API. `body` is sent as JSON unless `raw` (a string) is given.
 * Resolves {status, headers, body} with body parsed as JSON when it is JSON.
 */
async function api(url, method, pathname, body, { key = API_KEY, headers = {}, raw, timeoutMs = 5000 } = {}) {
  const init = { method, headers: { ...headers }, signal: AbortSignal.timeout(timeoutMs) };
  if (key) init.headers.Authorization = `Bearer ${key}`;
  if (raw !== undefined) init.body = raw;
  else if (body !== undefined) init.body = JSON.stringify(body);
  if (init.body !== undefined && !init.headers['Content-Type']) init.headers['Content-Type'] = 'application/json';
  const res = await fetch(url + pathname, init);
  const text = await res.text();
  let parsed = text;
  if ((res.headers.get('content-type') || '').includes('json')) parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: parsed };
}

module.exports = { BINARY, API_KEY, REPO_ROOT, startHub, useHub, runPlugboard, writeConfig, tempDir, api };
