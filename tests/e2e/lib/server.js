'use strict';
// Spawns plugboard-testapp (or any command with the same CLI, e.g. the Node
// reference: PLUGBOARD_TESTAPP="node /tmp/conformance/ref/testapp.js"),
// waits for its readiness line(s) and stops it again.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const DEFAULT_BINARY = path.join(REPO_ROOT, 'build', 'bin', 'plugboard-testapp');
const READY_TIMEOUT_MS = Number(process.env.PLUGBOARD_READY_TIMEOUT_MS || 10000);
const STOP_TIMEOUT_MS = 3000;

const MAIN_RE = /^[\w.-]+ listening on 127\.0\.0\.1:(\d+)\s*$/;
const RECOVERY_RE = /^plugboard-testapp recovery listening on 127\.0\.0\.1:(\d+)\s*$/;

function testappCommand() {
  const spec = (process.env.PLUGBOARD_TESTAPP || '').trim();
  if (!spec) return [DEFAULT_BINARY];
  return spec.split(/\s+/);
}

/**
 * Another program with the test app's CLI (--port 0, a "<name> listening on" line): the command
 * in envVar when set, else `name` next to PLUGBOARD_TESTAPP's binary, else build/bin/<name>.
 * @returns {string[]}
 */
function appCommand(name, envVar) {
  const spec = (process.env[envVar] || '').trim();
  if (spec) return spec.split(/\s+/);
  const testapp = (process.env.PLUGBOARD_TESTAPP || '').trim();
  const sibling = testapp && !/\s/.test(testapp) ? path.join(path.dirname(testapp), name) : '';
  return [sibling && fs.existsSync(sibling) ? sibling : path.join(REPO_ROOT, 'build', 'bin', name)];
}

/**
 * Starts a fresh server instance.
 * @param {{recovery?: boolean, args?: string[], command?: string[]}} [options] args: extra
 *   command-line arguments; command: the program (default: testappCommand())
 * @returns {Promise<{port:number, url:string, recoveryPort?:number, recoveryUrl?:string, stop:() => Promise<void>, output:() => string}>}
 */
function startServer({ recovery = false, args: extraArgs = [], command = testappCommand() } = {}) {
  const [cmd, ...baseArgs] = command;
  const args = [...baseArgs, ...extraArgs, '--port', '0'];
  if (recovery) args.push('--recovery-port', '0');

  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      reject(new Error(`cannot spawn ${cmd}: ${err.message}`));
      return;
    }
    let log = '';
    let lineBuf = '';
    let port;
    let recoveryPort;
    let settled = false;
    let exited = false;
    const exitPromise = new Promise((res) => child.once('exit', (code, signal) => {
      exited = true;
      process.removeListener('exit', killOnExit);
      res({ code, signal });
    }));
    // never leave an orphaned server behind, even if the test process dies early
    const killOnExit = () => { if (!exited) child.kill('SIGKILL'); };
    process.on('exit', killOnExit);
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
      process.once(sig, () => { killOnExit(); process.kill(process.pid, sig); });
    }

    const fail = (msg) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!exited) child.kill('SIGKILL');
      reject(new Error(`${msg}\ncommand: ${[cmd, ...args].join(' ')}\n--- output ---\n${log}`));
    };
    const timer = setTimeout(
      () => fail(`testapp did not print its readiness line(s) within ${READY_TIMEOUT_MS} ms`),
      READY_TIMEOUT_MS);

    const stop = async () => {
      if (exited) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => { if (!exited) child.kill('SIGKILL'); }, STOP_TIMEOUT_MS);
      await exitPromise;
      clearTimeout(t);
    };

    const checkReady = () => {
      if (settled || port === undefined || (recovery && recoveryPort === undefined)) return;
      settled = true;
      clearTimeout(timer);
      const res = {
        port,
        url: `http://127.0.0.1:${port}`,
        stop,
        output: () => log,
      };
      if (recovery) {
        res.recoveryPort = recoveryPort;
        res.recoveryUrl = `http://127.0.0.1:${recoveryPort}`;
      }
      resolve(res);
    };

    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      log += chunk;
      lineBuf += chunk;
      let nl;
      while ((nl = lineBuf.indexOf('\n')) >= 0) {
        const line = lineBuf.slice(0, nl).replace(/\r$/, '');
        lineBuf = lineBuf.slice(nl + 1);
        let m;
        if ((m = MAIN_RE.exec(line))) port = Number(m[1]);
        else if ((m = RECOVERY_RE.exec(line))) recoveryPort = Number(m[1]);
      }
      checkReady();
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      log += chunk;
      if (process.env.PLUGBOARD_E2E_VERBOSE) process.stderr.write(chunk);
    });
    child.once('error', (err) => fail(`cannot start testapp: ${err.message}` +
      (err.code === 'ENOENT' ? ' (build it first, or set PLUGBOARD_TESTAPP)' : '')));
    child.once('exit', (code, signal) =>
      fail(`testapp exited before it was ready (code ${code}, signal ${signal})`));
  });
}

/**
 * Registers before/after hooks that start one server for the calling test file.
 * Returns a getter object: srv.url, srv.recoveryUrl, ... once before() ran.
 */
function useServer(options = {}) {
  const { before, after } = require('node:test');
  const holder = {};
  before(async () => {
    Object.assign(holder, await startServer(options));
  });
  after(async () => {
    if (holder.stop) await holder.stop();
  });
  return holder;
}

module.exports = { startServer, useServer, testappCommand, appCommand };
