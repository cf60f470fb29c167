'use strict';
// HTTP compression of polling answers (Node's httpCompression: on, threshold 1 KiB, gzip or
// deflate as Accept-Encoding asks) and compress(false) keeping a packet out of it.
const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const zlib = require('node:zlib');
const { useServer, appCommand } = require('./lib/server');
const { request, pollingHandshake } = require('./lib/rawhttp');

function decoded(res) {
  switch (res.headers['content-encoding']) {
    case 'gzip': return zlib.gunzipSync(res.body).toString();
    case 'deflate': return zlib.inflateSync(res.body).toString();
    case undefined: return res.body.toString();
    default: throw new Error(`unexpected content-encoding ${res.headers['content-encoding']}`);
  }
}

describe('polling answers of the raw Engine.IO echo', () => {
  const srv = useServer();
  const base = () => `${srv.url}/engine.io/?EIO=4`;

  // Sends `message` through the echo, then polls for it with the given Accept-Encoding.
  async function echoed(message, acceptEncoding) {
    const { sid } = await pollingHandshake(base());
    const url = `${base()}&transport=polling&sid=${sid}`;
    const post = await request(url, { method: 'POST', body: `4${message}` });
    assert.equal(post.status, 200);
    const headers = acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding };
    return request(url, { headers });
  }

  const big = 'a'.repeat(4096);
  for (const [accept, expected] of [
    ['gzip', 'gzip'], ['deflate', 'deflate'], ['gzip, deflate, br', 'gzip'], ['deflate;q=1, gzip;q=0.5', 'deflate'],
    ['*', 'gzip'], ['br', undefined], ['gzip;q=0', undefined], [undefined, undefined],
  ]) {
    test(`Accept-Encoding ${accept === undefined ? 'absent' : JSON.stringify(accept)}: ${expected || 'identity'}`, async () => {
      const res = await echoed(big, accept);
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-encoding'], expected);
      assert.equal(decoded(res), `4${big}`);
      if (expected) assert.ok(res.body.length < 200, `compressed to ${res.body.length} bytes`);
      else assert.equal(Number(res.headers['content-length']), big.length + 1);
    });
  }

  test('answers below the 1 KiB threshold are not compressed', async () => {
    const res = await echoed('b'.repeat(1000), 'gzip');
    assert.equal(res.headers['content-encoding'], undefined);
    assert.equal(res.body.toString(), `4${'b'.repeat(1000)}`);
  });
});

describe('compress(false) on a Socket.IO packet', () => {
  const srv = useServer({ command: appCommand('plugboard-featureapp', 'PLUGBOARD_FEATUREAPP') });
  const base = () => `${srv.url}/socket.io/?EIO=4`;

  // A raw Socket.IO session over polling that asks for a 4 KiB "big" event; resolves with
  // the polling answer that carries it.
  async function bigEvent(compress, broadcast = false) {
    const { sid } = await pollingHandshake(base());
    const url = `${base()}&transport=polling&sid=${sid}`;
    await request(url, { method: 'POST', body: '40' });
    assert.match((await request(url)).body.toString(), /^40\{/);
    await request(url, { method: 'POST', body: `42${JSON.stringify(['emit-big', 4096, compress, broadcast])}` });
    const res = await request(url, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(res.status, 200);
    assert.ok(decoded(res).startsWith('42["big","xxxx'), decoded(res).slice(0, 40));
    return res;
  }

  test('a packet sent with compress(true) is gzipped', async () => {
    assert.equal((await bigEvent(true)).headers['content-encoding'], 'gzip');
  });

  test('a packet sent with compress(false) is not', async () => {
    const res = await bigEvent(false);
    assert.equal(res.headers['content-encoding'], undefined);
    assert.ok(res.body.length > 4096);
  });

  test('a broadcast keeps its compress flag: gzipped by default, not with compress(false)', async () => {
    assert.equal((await bigEvent(true, true)).headers['content-encoding'], 'gzip');
    const res = await bigEvent(false, true);
    assert.equal(res.headers['content-encoding'], undefined);
    assert.ok(res.body.length > 4096);
  });
});
