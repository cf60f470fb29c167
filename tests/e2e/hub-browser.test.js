'use strict';
// A real browser (headless Chromium driven by playwright-core) loads the demo page, which
// connects with the official client bundle served by plugboard, and shows events published
// through the HTTP API, progress bars included.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { chromium } = require('playwright-core');
const { startHub, tempDir, api } = require('./hub-harness');

const CHROMIUM = process.env.PLUGBOARD_CHROMIUM || '/usr/bin/chromium';
const WAIT_MS = 10000;
const LAUNCH_MS = 30000; // Chromium starts slowly on a loaded machine

let hub;
let browser;

before(async () => {
  assert.ok(fs.existsSync(CHROMIUM),
    `no Chromium at ${CHROMIUM}: apt-get install chromium (or set PLUGBOARD_CHROMIUM)`);
  hub = await startHub({ config: { demo: true, namespaces: [{ name: '/', rooms: ['public:*'] }] } });
  browser = await chromium.launchPersistentContext(tempDir(), {
    executablePath: CHROMIUM,
    headless: true,
    timeout: LAUNCH_MS,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (hub) await hub.stop();
});

async function publish(event, args) {
  const res = await api(hub.url, 'POST', '/api/v1/emit', { rooms: ['public:browser'], event, args });
  assert.deepEqual([res.status, res.body], [200, { recipients: 1 }], `publish ${event}`);
}

function progressOf(page, id) {
  return page.waitForFunction((opId) => {
    const bar = document.querySelector(`.operation[data-id="${opId}"] progress`);
    return bar && bar.value;
  }, id, { timeout: WAIT_MS });
}

test('the demo page subscribes and shows events and progress published through the API', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${hub.url}/demo/?room=public:browser`, { timeout: WAIT_MS });
  await page.waitForSelector('#status[data-state="subscribed"]', { timeout: WAIT_MS });
  assert.match(await page.textContent('#status'), /^Subscribed to public:browser as /);

  await publish('data-changed', [{ table: 'orders', id: 17 }]);
  const item = await page.waitForSelector('#log li[data-event="data-changed"]', { timeout: WAIT_MS });
  // Keys in the order the backend wrote them, as Node delivers them.
  assert.match(await item.textContent(), /data-changed \{"table":"orders","id":17\}/);

  await publish('operation-progress', [{ id: 'build-1', percent: 40, label: 'Compiling' }]);
  await progressOf(page, 'build-1');
  assert.equal(await page.$eval('.operation[data-id="build-1"] progress', (el) => el.value), 40);
  await publish('operation-progress', [{ id: 'build-1', percent: 100, label: 'Compiling' }]);
  await page.waitForFunction(() => document.querySelector('.operation[data-id="build-1"] progress').value === 100,
    null, { timeout: WAIT_MS });
  assert.equal(await page.textContent('.operation[data-id="build-1"] .percent'), '100 %');

  await publish('upload-progress', [{ id: 'upload-9', loaded: 512, total: 2048 }]);
  await progressOf(page, 'upload-9');
  assert.equal(await page.$eval('.operation[data-id="upload-9"] progress', (el) => el.value), 25);
  assert.deepEqual(errors, []);
  await page.close();
});
