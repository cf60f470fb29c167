'use strict';
// The official Socket.IO admin UI (the ui/dist bundle of @socket.io/admin-ui 0.5.1), loaded in
// headless Chromium from the server under test at /admin/, connects to that server's admin
// namespace through its own connection modal and shows the server's sockets and rooms.
//
// The same suite runs twice: against the npm socket.io server instrumented with the real
// package (servers/node-admin-server.js --serve-ui), the reference, and against plugboard
// (config `admin.ui: true`). Protocol: /work/shared/docs/admin-protocol.md.
//
// Every wait is a Playwright locator/function wait or an event wait with a timeout; nothing
// sleeps to synchronise. Each test gets a fresh Chromium profile, because the UI keeps its
// server URL and session id in localStorage.
const { describe, test, before } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { io } = require('socket.io-client');
const { startHub, tempDir } = require('./hub-harness');
const { startServer } = require('./lib/server');
const { once } = require('./lib/util');

const CHROMIUM = process.env.PLUGBOARD_CHROMIUM || '/usr/bin/chromium';
const UI_DIR = path.join(__dirname, 'node_modules', '@socket.io', 'admin-ui', 'ui', 'dist');
const NODE_ADMIN_SERVER = path.join(__dirname, 'servers', 'node-admin-server.js');

const WAIT_MS = 10000; // one UI or event wait
const LAUNCH_MS = 30000; // Chromium starts slowly on a loaded machine
const TEST_MS = 120000;

const ADMIN_NSP = '/admin';
const USERNAME = 'admin';
const PASSWORD = 'secret';
// bcrypt (cost 10) of PASSWORD; both servers get the same hash.
const PASSWORD_HASH = '$2a$10$oLEOrDcBIjPEQAzmBMm12uPpShy9We1YbAduiLzuAA/buUepGYgky';
const ROOM = 'lobby';

// ---------------------------------------------------------------------------------------------
// Servers under test. Both starters resolve {url, stop(), output()}.

/** servers/node-admin-server.js: socket.io 4.8.4 + instrument() from @socket.io/admin-ui. */
async function startNodeAdminServer({ auth }) {
  const args = ['--auth', auth, '--mode', 'development', '--server-id', 'node-1', '--namespaces', '/,/chat', '--serve-ui'];
  if (auth === 'basic') args.push('--password-hash', PASSWORD_HASH);
  const srv = await startServer({ command: [process.execPath, NODE_ADMIN_SERVER], args });
  return { url: srv.url, output: srv.output, stop: () => srv.stop() };
}

/** plugboard --headless with the admin instrumentation on and the UI served at /admin/. */
async function startPlugboard({ auth }) {
  const hub = await startHub({
    config: {
      admin: {
        namespaceName: ADMIN_NSP,
        auth: auth === 'basic' ? { type: 'basic', username: USERNAME, password: PASSWORD_HASH } : false,
        mode: 'development',
        serverId: 'hub-1',
        ui: true,
      },
    },
  });
  return { url: hub.url, output: hub.output, stop: () => hub.stop() };
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Starts a server for this test only; stopped when the test ends. */
async function serverFor(t, startServer, options) {
  const server = await startServer(options);
  t.after(() => server.stop());
  return server;
}

/** A socket.io-client 4.8.4 app client on `nsp`, connected; disconnected when the test ends. */
async function appClient(t, url, opts = {}, nsp = '/') {
  const socket = io(url + nsp, { forceNew: true, reconnection: false, ...opts });
  t.after(() => socket.disconnect());
  await once(socket, 'connect', WAIT_MS, { failOn: ['connect_error'], what: `app client connect to ${nsp}` });
  return socket;
}

/** A separate admin connection (socket.io-client, not the UI), for commands and cross-checks. */
async function adminClient(t, url, auth) {
  const socket = io(url + ADMIN_NSP, { forceNew: true, reconnection: false, auth });
  t.after(() => socket.disconnect());
  await once(socket, 'connect', WAIT_MS, { failOn: ['connect_error'], what: 'admin client connect' });
  return socket;
}

/**
 * Chromium with a fresh temporary profile (the UI's saved session lives in localStorage), one
 * page at the admin UI served by `server`. Requests to other hosts (the bundle links web fonts
 * and an icon font from CDNs) are refused so the page never waits on the network.
 */
async function openUi(t, server) {
  const context = await chromium.launchPersistentContext(tempDir(), {
    executablePath: CHROMIUM,
    headless: true,
    timeout: LAUNCH_MS,
    locale: 'en-US',
    viewport: { width: 1600, height: 1000 }, // Vuetify "lg": drawer open, status in the app bar
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  t.after(() => context.close());
  await context.route((u) => u.hostname !== '127.0.0.1', (route) => route.abort());
  const page = context.pages()[0] || await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  const traffic = { polling: [], websockets: [] };
  page.on('request', (req) => {
    if (/\/socket\.io\/\?.*transport=polling/.test(req.url())) traffic.polling.push(req.url());
  });
  page.on('websocket', (ws) => traffic.websockets.push(ws.url()));

  const res = await page.goto(`${server.url}/admin/`, { timeout: WAIT_MS, waitUntil: 'domcontentloaded' });
  assert.equal(res.status(), 200, `GET ${server.url}/admin/ should serve the admin UI`);
  assert.match(await res.text(), /<title>Socket\.IO Admin UI<\/title>/, 'GET /admin/ is the admin UI bundle');
  await page.locator('header').getByText('Socket.IO Admin UI').waitFor({ timeout: WAIT_MS });
  return { page, errors, traffic };
}

function connectionDialog(page) {
  return page.locator('.v-dialog').filter({ hasText: 'Connection' });
}

/**
 * Fills the UI's connection modal (server URL, credentials, "Advanced options": admin
 * namespace, path, "WebSocket only?") and presses Connect.
 */
async function submitConnection(page, { url, username = '', password = '', wsOnly = false }) {
  const dialog = connectionDialog(page);
  await dialog.waitFor({ state: 'visible', timeout: WAIT_MS });
  await dialog.getByLabel('Server URL', { exact: true }).fill(url);
  await dialog.getByLabel('Username', { exact: true }).fill(username);
  await dialog.getByLabel('Password', { exact: true }).fill(password);
  await setSwitch(dialog, 'Advanced options', true);
  await dialog.getByLabel('Admin namespace', { exact: true }).fill(ADMIN_NSP);
  await dialog.getByLabel('Path', { exact: true }).fill('/socket.io');
  await setSwitch(dialog, 'WebSocket only?', wsOnly);
  await dialog.getByRole('button', { name: 'Connect' }).click({ timeout: WAIT_MS });
}

/**
 * Sets a Vuetify switch by clicking its label (its ripple overlay covers the input itself) and
 * waits until the switch reports the new state.
 */
async function setSwitch(scope, label, on) {
  const input = scope.getByRole('switch', { name: label, exact: true });
  if ((await input.getAttribute('aria-checked', { timeout: WAIT_MS })) !== String(on)) {
    await scope.locator('label').filter({ hasText: new RegExp(`^\\s*${escapeRe(label)}\\s*$`) })
      .click({ timeout: WAIT_MS });
  }
  await scope.getByRole('switch', { name: label, exact: true, checked: on }).waitFor({ timeout: WAIT_MS });
}

/** The connection chip in the app bar says "connected" and the modal is gone. */
async function waitConnected(page) {
  await page.locator('header .v-chip:visible').filter({ hasText: /^\s*connected\s*$/i })
    .waitFor({ timeout: WAIT_MS });
  await connectionDialog(page).waitFor({ state: 'hidden', timeout: WAIT_MS });
}

async function connectUi(page, server, options = {}) {
  await submitConnection(page, { url: server.url, ...options });
  await waitConnected(page);
}

/** Opens a top-level page (Sockets, Rooms, …) through the navigation drawer. */
async function openSection(page, title, hash) {
  await page.locator('nav').getByRole('link', { name: title }).click({ timeout: WAIT_MS });
  await page.waitForFunction((h) => window.location.hash.startsWith(h), hash, { timeout: WAIT_MS });
  await page.locator('.v-breadcrumbs:visible').getByText(title, { exact: true }).waitFor({ timeout: WAIT_MS });
}

/** Picks `name` in the page's namespace selector (the UI starts on "/" when it has sockets). */
async function selectNamespace(page, name) {
  const select = page.locator('main .v-select:visible').filter({ hasText: 'Select namespace' });
  const current = select.locator('.v-select__selection');
  await current.waitFor({ timeout: WAIT_MS });
  if ((await current.textContent()).trim() === name) return;
  await select.locator('.v-select__slot').click({ timeout: WAIT_MS });
  await page.locator('.menuable__content__active').getByRole('option', { name, exact: true })
    .click({ timeout: WAIT_MS });
  await select.locator('.v-select__selection').filter({ hasText: new RegExp(`^\\s*${escapeRe(name)}\\s*$`) })
    .waitFor({ timeout: WAIT_MS });
}

function escapeRe(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Rows of the data tables on screen (a page left behind may linger, hidden, in the DOM). */
function tableRows(page) {
  return page.locator('main .v-data-table tbody tr:visible');
}

/** The row of the main data table whose first cell is exactly `text`. */
function rowWithId(page, text) {
  return tableRows(page).filter({
    has: page.locator('td:first-child', { hasText: new RegExp(`^\\s*${escapeRe(text)}\\s*$`) }),
  });
}

async function waitRows(page, ids) {
  for (const id of ids) await rowWithId(page, id).waitFor({ timeout: WAIT_MS });
}

/** The Rooms page row of `room` once its "# of sockets" cell reads `count`. */
async function waitRoomCount(page, room, count) {
  await rowWithId(page, room)
    .filter({ has: page.locator('td:nth-child(3)', { hasText: new RegExp(`^\\s*${count}\\s*$`) }) })
    .waitFor({ timeout: WAIT_MS });
}

/** Resolves with the next admin event `name` whose arguments satisfy `match`. */
function nextAdminEvent(admin, name, match) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      admin.off(name, onEvent);
      reject(new Error(`timed out after ${WAIT_MS} ms waiting for admin event '${name}'`));
    }, WAIT_MS);
    function onEvent(...args) {
      if (!match(...args)) return;
      clearTimeout(timer);
      admin.off(name, onEvent);
      resolve(args);
    }
    admin.on(name, onEvent);
  });
}

// ---------------------------------------------------------------------------------------------
// The suite

/**
 * @param {string} name
 * @param {(options: {auth: 'none'|'basic'}) => Promise<{url: string, stop: () => Promise<void>}>} startServer
 * @param {{keepsSession: boolean}} expected keepsSession: the UI ends up with the basic-auth
 *   session id in localStorage (the server emits `session` after the CONNECT ack)
 */
function suite(name, startServer, expected) {
  const { keepsSession } = expected;
  describe(name, () => {
    test('the Sockets and Rooms pages show the server\'s sockets and rooms, live', { timeout: TEST_MS }, async (t) => {
      const server = await serverFor(t, startServer, { auth: 'none' });
      const polling = await appClient(t, server.url, { transports: ['polling'] });
      const websocket = await appClient(t, server.url, { transports: ['websocket'] });
      const third = await appClient(t, server.url);
      const observer = await adminClient(t, server.url);
      // socket.id is cleared on disconnect: keep the ids
      const [pollingId, websocketId, thirdId] = [polling.id, websocket.id, third.id];

      const { page, errors, traffic } = await openUi(t, server);
      await connectUi(page, server);
      assert.ok(traffic.polling.length > 0, 'by default the UI starts on HTTP long-polling');

      // Sockets page: every app socket of "/", with its transport.
      await openSection(page, 'Sockets', '#/sockets');
      await selectNamespace(page, '/');
      await waitRows(page, [pollingId, websocketId, thirdId]);
      await rowWithId(page, pollingId).filter({ hasText: 'HTTP long-polling' }).waitFor({ timeout: WAIT_MS });
      await rowWithId(page, websocketId).filter({ hasText: 'WebSocket' }).waitFor({ timeout: WAIT_MS });

      // A socket connecting later shows up without a reload.
      const late = await appClient(t, server.url, { transports: ['websocket'] });
      const lateId = late.id;
      await rowWithId(page, lateId).waitFor({ timeout: WAIT_MS });

      // The UI's own control: socket page, "Join a room". The server really moves the socket
      // (the separate admin connection sees room_joined) and the UI shows it from that event.
      const joinedByUi = nextAdminEvent(observer, 'room_joined',
        (nsp, room, id) => nsp === '/' && room === ROOM && id === pollingId);
      await rowWithId(page, pollingId).locator('td').first().click({ timeout: WAIT_MS });
      await page.waitForFunction((id) => decodeURIComponent(window.location.hash).endsWith(`/sockets/${id}`),
        pollingId, { timeout: WAIT_MS });
      const joinForm = page.locator('form').filter({ has: page.getByLabel('Join a room') });
      await joinForm.getByLabel('Join a room').fill(ROOM);
      await joinForm.locator('button[type="submit"]').click({ timeout: WAIT_MS });
      await joinedByUi;
      await rowWithId(page, ROOM).waitFor({ timeout: WAIT_MS }); // the socket's Rooms card

      // An admin `join` command from the separate connection, targeting one socket by id.
      const joinedByCommand = nextAdminEvent(observer, 'room_joined',
        (nsp, room, id) => nsp === '/' && room === ROOM && id === websocketId);
      observer.emit('join', '/', ROOM, websocketId);
      await joinedByCommand;

      // Rooms page: the public room with both sockets; private rooms only on request.
      await openSection(page, 'Rooms', '#/rooms');
      await selectNamespace(page, '/');
      await waitRoomCount(page, ROOM, 2);
      await rowWithId(page, ROOM).filter({ hasText: /public/i }).waitFor({ timeout: WAIT_MS });
      assert.equal(await rowWithId(page, websocketId).count(), 0, 'private rooms are hidden by default');
      await setSwitch(page.locator('main'), 'Show private rooms?', true);
      await rowWithId(page, websocketId).filter({ hasText: /private/i }).waitFor({ timeout: WAIT_MS });
      await setSwitch(page.locator('main'), 'Show private rooms?', false);
      await rowWithId(page, websocketId).waitFor({ state: 'hidden', timeout: WAIT_MS });

      // A client that disconnects leaves the room and the socket list.
      polling.disconnect();
      await waitRoomCount(page, ROOM, 1);
      await openSection(page, 'Sockets', '#/sockets');
      await selectNamespace(page, '/');
      await waitRows(page, [websocketId, thirdId, lateId]);
      await rowWithId(page, pollingId).waitFor({ state: 'hidden', timeout: WAIT_MS });

      // The UI's "Disconnect this Socket instance" button: the server disconnects the client.
      const kicked = once(third, 'disconnect', WAIT_MS, { what: 'disconnect of the socket kicked from the UI' });
      await rowWithId(page, thirdId).locator('button').click({ timeout: WAIT_MS });
      assert.equal((await kicked)[0], 'io server disconnect');
      // (the click also reaches the row, which opens the socket's page: go back to the list)
      await openSection(page, 'Sockets', '#/sockets');
      await selectNamespace(page, '/');
      await waitRows(page, [websocketId, lateId]);
      await rowWithId(page, thirdId).waitFor({ state: 'hidden', timeout: WAIT_MS });

      // The last socket of the room goes: the room goes too.
      await openSection(page, 'Rooms', '#/rooms');
      await selectNamespace(page, '/');
      await waitRoomCount(page, ROOM, 1);
      websocket.disconnect();
      await rowWithId(page, ROOM).waitFor({ state: 'hidden', timeout: WAIT_MS });
      await openSection(page, 'Sockets', '#/sockets');
      await selectNamespace(page, '/');
      await waitRows(page, [lateId]);
      assert.equal(await rowWithId(page, websocketId).count(), 0, 'a disconnected socket is still listed');
      assert.deepEqual(errors, [], 'uncaught errors in the page');
    });

    test('basic auth: a wrong password shows "Invalid credentials", the right one connects', { timeout: TEST_MS }, async (t) => {
      const server = await serverFor(t, startServer, { auth: 'basic' });
      const client = await appClient(t, server.url);
      const { page, errors } = await openUi(t, server);
      const dialog = connectionDialog(page);

      await submitConnection(page, { url: server.url, username: USERNAME, password: 'not-the-password' });
      await dialog.locator('.red--text').filter({ hasText: /^\s*Invalid credentials\s*$/ })
        .waitFor({ timeout: WAIT_MS });
      await dialog.getByRole('button', { name: 'Connect' }).and(page.locator(':enabled')).waitFor({ timeout: WAIT_MS });
      await page.locator('header .v-chip:visible').filter({ hasText: /^\s*disconnected\s*$/i }).waitFor({ timeout: WAIT_MS });
      assert.equal(await page.evaluate(() => localStorage.getItem('server_url')), null,
        'a refused connection must not be saved');

      await dialog.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await dialog.getByRole('button', { name: 'Connect' }).click({ timeout: WAIT_MS });
      await waitConnected(page);
      await openSection(page, 'Sockets', '#/sockets');
      await selectNamespace(page, '/');
      await waitRows(page, [client.id]);

      if (keepsSession) {
        // The server sent its `session` event after the CONNECT ack, so the UI kept the id and a
        // reload reconnects with {sessionId} alone: no modal, same data.
        await page.waitForFunction(() => /^\S+$/.test(localStorage.getItem('session_id') || ''), null, { timeout: WAIT_MS });
        await page.reload({ timeout: WAIT_MS, waitUntil: 'domcontentloaded' });
        await waitConnected(page);
        await selectNamespace(page, '/');
        await waitRows(page, [client.id]);
      } else {
        // The reference emits `session` before the CONNECT ack; socket.io-client delivers such
        // buffered events before "connect", when the 0.5.1 UI has no listener yet, so it never
        // stores the id: a reload asks for the credentials again.
        assert.equal(await page.evaluate(() => localStorage.getItem('session_id')), null);
        await page.reload({ timeout: WAIT_MS, waitUntil: 'domcontentloaded' });
        await dialog.locator('.red--text').filter({ hasText: /^\s*Invalid credentials\s*$/ })
          .waitFor({ timeout: WAIT_MS });
        await submitConnection(page, { url: server.url, username: USERNAME, password: PASSWORD });
        await waitConnected(page);
      }
      assert.deepEqual(errors, [], 'uncaught errors in the page');
    });

    test('"WebSocket only?" connects the UI without HTTP long-polling', { timeout: TEST_MS }, async (t) => {
      const server = await serverFor(t, startServer, { auth: 'none' });
      const client = await appClient(t, server.url);
      const { page, errors, traffic } = await openUi(t, server);

      await connectUi(page, server, { wsOnly: true });
      assert.equal(await page.evaluate(() => localStorage.getItem('ws_only')), 'true');
      await openSection(page, 'Sockets', '#/sockets');
      await selectNamespace(page, '/');
      await waitRows(page, [client.id]);

      // The UI's own admin socket, listed in the admin namespace, is on WebSocket from the start.
      await selectNamespace(page, ADMIN_NSP);
      await tableRows(page).filter({ hasText: 'WebSocket' }).waitFor({ timeout: WAIT_MS }); // exactly one
      assert.equal(await tableRows(page).count(), 1, 'the admin namespace holds the UI\'s socket only');
      assert.deepEqual(traffic.polling, [], 'no long-polling request with "WebSocket only?"');
      assert.ok(traffic.websockets.some((u) => /^ws:\/\/127\.0\.0\.1:\d+\/socket\.io\/\?EIO=4&transport=websocket/.test(u)),
        `a WebSocket to /socket.io/ (seen: ${JSON.stringify(traffic.websockets)})`);
      assert.deepEqual(errors, [], 'uncaught errors in the page');
    });
  });
}

before(() => {
  assert.ok(fs.existsSync(CHROMIUM),
    `no Chromium at ${CHROMIUM}: apt-get install chromium (or set PLUGBOARD_CHROMIUM)`);
  assert.ok(fs.existsSync(path.join(UI_DIR, 'index.html')),
    `no admin UI bundle at ${UI_DIR}: run npm ci in tests/e2e (@socket.io/admin-ui)`);
});

suite('node socket.io 4.8.4 + @socket.io/admin-ui 0.5.1 (reference)', startNodeAdminServer, { keepsSession: false });
// admin-protocol.md section 3: plugboard sends the CONNECT ack first, so the UI keeps its session.
suite('plugboard', startPlugboard, { keepsSession: true });
