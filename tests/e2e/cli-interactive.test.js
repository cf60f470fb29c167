'use strict';
// plugboard-cli's prompt on a real terminal (a pseudo-terminal from script(1)): commands,
// history and completion through libedit, output lines printed while the prompt is open.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const { startServer, appCommand } = require('./lib/server');
const { withTimeout } = require('./lib/util');

const [cli] = appCommand('plugboard-cli', 'PLUGBOARD_CLI');

// The cli under a pseudo-terminal; output() is everything it printed so far.
function startPrompt(url) {
  const child = spawn('script', ['-qfec', `${cli} ${url} --transports websocket`, '/dev/null'],
                      { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, TERM: 'xterm' } });
  let output = '';
  const waiters = [];
  child.stdout.on('data', (chunk) => {
    output += chunk.toString('utf8');
    for (const w of waiters.slice()) if (w.pattern.test(output.slice(w.from))) { waiters.splice(waiters.indexOf(w), 1); w.resolve(); }
  });
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    type: (text) => child.stdin.write(text),
    // Resolves once output after the current point matches pattern.
    waitFor(pattern, from = 0, ms = 5000) {
      const waiter = { pattern, from };
      const promise = new Promise((resolve) => { waiter.resolve = resolve; });
      waiters.push(waiter);
      if (pattern.test(output.slice(from))) { waiters.splice(waiters.indexOf(waiter), 1); waiter.resolve(); }
      return withTimeout(promise, ms, `${pattern} in the cli's output:\n${output}`);
    },
    mark: () => output.length,
    output: () => output,
    exited,
    kill: () => child.kill('SIGKILL'),
  };
}

test('prompt: emit, completion, history, server acks and quit', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const prompt = startPrompt(server.url);
  t.after(() => prompt.kill());
  await prompt.waitFor(/"type":"connect"/);

  let from = prompt.mark();
  prompt.type('emit message-with-ack hello 42 {"a":[1,2]}\r');
  await prompt.waitFor(/"type":"ack","event":"message-with-ack","args":\["hello",42,\{"a":\[1,2\]\}\]/, from);

  // Completion knows the commands and the event names seen so far: "emi<Tab>" becomes "emit"
  // (without it the line would be an unknown command and no ack would come).
  from = prompt.mark();
  prompt.type('emi\t message-with-ack completed\r');
  await prompt.waitFor(/"args":\["completed"\]/, from);

  // Up-arrow brings back the last line.
  from = prompt.mark();
  prompt.type('\x1b[A\r');
  await prompt.waitFor(/"args":\["completed"\]/, from);

  // The server asks (ask -> question with an ack); "ack N" answers it.
  from = prompt.mark();
  prompt.type('emit ask "what?"\r');
  await prompt.waitFor(/"type":"event","event":"question","args":\["what\?"\],"ack":1/, from);
  prompt.type('ack 1 "forty-two"\r');
  await prompt.waitFor(/"type":"ack","event":"ask","args":\[\{"ok":true,"answer":"forty-two"\}\]/, from);

  // Mistakes get a clear line, not a crash.
  from = prompt.mark();
  prompt.type('emit connect\r');
  await prompt.waitFor(/"type":"error","message":"\\"connect\\" is a reserved event name"/, from);
  prompt.type('frobnicate\r');
  await prompt.waitFor(/unknown command/, from);

  prompt.type('quit\r');
  assert.equal(await withTimeout(prompt.exited, 5000, 'the cli to exit'), 0);
});
