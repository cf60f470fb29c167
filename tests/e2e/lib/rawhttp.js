'use strict';
// One HTTP request over node:http, with the body as raw bytes: unlike fetch, nothing is
// decompressed and every Set-Cookie header is kept.
const http = require('node:http');
const { withTimeout, DEFAULT_TIMEOUT_MS } = require('./util');

/**
 * @returns {Promise<{status:number, headers:object, body:Buffer}>}
 */
function request(url, { method = 'GET', headers = {}, body } = {}, ms = DEFAULT_TIMEOUT_MS) {
  const done = new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
  return withTimeout(done, ms, `${method} ${url}`);
}

/** The Engine.IO handshake over polling: { sid, response }. */
async function pollingHandshake(base, headers = {}) {
  const response = await request(`${base}&transport=polling`, { headers });
  if (response.status !== 200) throw new Error(`handshake: HTTP ${response.status} ${response.body}`);
  const open = JSON.parse(response.body.toString().slice(1));
  return { sid: open.sid, response };
}

module.exports = { request, pollingHandshake };
