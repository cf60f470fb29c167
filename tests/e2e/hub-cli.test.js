'use strict';
// The command line and the config file: --help, --version, clear errors with a non-zero
// exit, every config problem reported with its JSON path, the command line over the file.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { runPlugboard, startHub, writeConfig, api, REPO_ROOT } = require('./hub-harness');

const EXAMPLE = path.join(REPO_ROOT, 'resources', 'plugboard.example.jsonc');

test('--help and --version', async () => {
  const help = await runPlugboard(['--help']);
  assert.equal(help.code, 0);
  for (const option of ['--headless', '--host', '--port', '--config', '--ping-interval', '--cors-origin',
    '--tls-cert', '--tls-key', '--log-format'])
    assert.ok(help.stdout.includes(option), `--help mentions ${option}`);
  const version = await runPlugboard(['--version']);
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^plugboard \d+\.\d+\.\d+/);
});

test('invalid command lines are refused with a clear message', async () => {
  const cases = [
    [['--port', '70000'], 2, /--port: expected an integer from 0 to 65535, got "70000"/],
    [['--port', 'abc'], 2, /--port: expected an integer/],
    [['--host', 'localhost.invalid'], 2, /--host: "localhost.invalid" is not an IP address/],
    [['--ping-interval', '0'], 2, /--ping-interval: expected an integer from 1/],
    [['--transports', 'carrier-pigeon'], 2, /--transports: unknown transport "carrier-pigeon"/],
    [['--log-format', 'xml'], 2, /--log-format: expected text or json/],
    [['--tls-cert', '/nonexistent.pem'], 2, /--tls-cert and --tls-key go together/],
    [['--config', '/nonexistent/plugboard.json'], 2, /\/nonexistent\/plugboard.json: cannot read/],
    [['--no-such-option'], 1, /Unknown option 'no-such-option'/],
    [['stray'], 2, /unexpected argument "stray"/],
  ];
  for (const [args, code, message] of cases) {
    const run = await runPlugboard(['--headless', ...args]);
    assert.equal(run.code, code, `${args.join(' ')}: exit code\n${run.stderr}`);
    assert.match(run.stderr, message, args.join(' '));
  }
});

test('a config file with problems is refused, each problem with its path', async () => {
  const file = writeConfig({
    pingInterval: 'fast',
    colour: 'blue',
    cors: { origin: 5, credentials: 'yes' },
    api: { keys: ['short'] },
    log: { level: 'loud' },
    namespaces: [
      { name: '/', rooms: ['public:*'] },
      { name: 'chat', rooms: 'public:*', auth: { type: 'jwt' }, extra: true },
      { name: '/ops', auth: { type: 'token', tokens: [] }, rateLimit: { maxEvents: -1 } },
      { name: '/f', rooms: ['user:{sub'], forward: { url: 'ftp://x', events: ['subscribe'] } },
    ],
  });
  const run = await runPlugboard(['--headless', '--config', file]);
  assert.equal(run.code, 2);
  const expected = [
    'colour: unknown key',
    'pingInterval: expected integer',
    'cors.origin: expected string, boolean or array of strings',
    'cors.credentials: expected boolean',
    'api.keys[0]: too short (at least 16 characters)',
    'log.level: expected "debug", "info", "warning" or "error"',
    'namespaces[1].extra: unknown key',
    'namespaces[1].name: must start with \'/\'',
    'namespaces[1].rooms: expected array',
    'namespaces[1].auth: needs exactly one of "secret" and "secretEnv"',
    'namespaces[2].auth.tokens: must not be empty',
    'namespaces[2].rateLimit.maxEvents: must be between 0 and 1000000',
    'namespaces[3].rooms[0]: unclosed \'{\' in "user:{sub"',
    'namespaces[3].forward.url: expected an http:// or https:// URL',
    'namespaces[3].forward.events[0]: "subscribe" is reserved or handled by the hub',
  ];
  for (const line of expected)
    assert.ok(run.stderr.includes(`${file}: ${line}\n`), `reports "${line}"\n--- got ---\n${run.stderr}`);
  assert.equal(run.stderr.trim().split('\n').length, expected.length, run.stderr);
});

test('invalid JSON is reported with its line and column', async () => {
  const file = writeConfig('{\n  // a comment\n  "port": 3000,\n  "host": \n}\n');
  const run = await runPlugboard(['--headless', '--config', file]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /: invalid JSON at line 5, column \d+: \w/);
});

test('the shipped example config is valid', async () => {
  const run = await runPlugboard(['--config', EXAMPLE, '--check-config'],
    { env: { PLUGBOARD_JWT_SECRET: 'example-secret-0123456789' } });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /configuration OK/);
  const missing = await runPlugboard(['--config', EXAMPLE, '--check-config']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /namespaces\[1\]\.auth\.secretEnv: environment variable PLUGBOARD_JWT_SECRET is not set/);
});

test('the command line overrides the config file', async () => {
  // The file asks for port 1 (privileged, would fail) and a 1 s ping; the options win.
  const hub = await startHub({ config: { port: 1, pingInterval: 1000, namespaces: [{ name: '/' }] }, args: ['--ping-interval', '4321'] });
  try {
    assert.notEqual(hub.port, 1);
    const res = await fetch(`${hub.url}/socket.io/?EIO=4&transport=polling`);
    const text = await res.text();
    assert.equal(JSON.parse(text.slice(1)).pingInterval, 4321);
    const health = await api(hub.url, 'GET', '/health');
    assert.equal(health.status, 200);
  } finally {
    await hub.stop();
  }
});
