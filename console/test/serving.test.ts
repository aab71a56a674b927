import assert from 'node:assert/strict';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startService, type Service } from '../../sdk/test/helpers.js';

/** A raw GET (fetch would decompress and hide content-encoding). */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

describe('the console served at /app/', () => {
  let service: Service;
  before(async () => {
    service = await startService();
  });
  after(async () => {
    await service?.close();
  });

  it('the page: strict CSP, no caching without revalidation, an ETag answered 304, compressed when accepted', async () => {
    const page = await get(`${service.url}/app/`, { 'accept-encoding': 'br, gzip' });
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(page.headers['content-encoding'], 'br');
    const html = brotliDecompressSync(page.body).toString();
    assert.match(html, /<script type="module" crossorigin src="\/app\/assets\/index-[\w-]+\.js"><\/script>/);
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    const csp = String(page.headers['content-security-policy']);
    for (const rule of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"])
      assert.ok(csp.includes(rule), `${rule} in ${csp}`);
    assert.equal(page.headers['cache-control'], 'no-cache');
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    const again = await get(`${service.url}/app/`, { 'if-none-match': String(page.headers.etag) });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    const gzip = await get(`${service.url}/app/index.html`, { 'accept-encoding': 'gzip' });
    assert.equal(gunzipSync(gzip.body).toString(), html);
    const plain = await get(`${service.url}/app/index.html`);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.body.toString(), html);
  });

  it('hashed assets are cached for a year; the service worker is revalidated at its fixed address', async () => {
    const html = (await get(`${service.url}/app/`)).body.toString();
    const script = /src="(\/app\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const asset = await get(`${service.url}${script}`);
    assert.equal(asset.status, 200);
    assert.equal(asset.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
    const worker = await get(`${service.url}/app/sw.js`);
    assert.equal(worker.status, 200);
    assert.equal(worker.headers['cache-control'], 'no-cache');
  });

  it('/app goes to /app/; an unknown file or the build stamp is a 404 with {error, code}', async () => {
    const bare = await get(`${service.url}/app`);
    assert.equal(bare.status, 301);
    assert.equal(bare.headers.location, '/app/');
    for (const path of ['/app/nope.js', '/app/.built-at', '/app/assets/../../package.json']) {
      const missing = await get(`${service.url}${path}`);
      assert.equal(missing.status, 404, path);
      const body = JSON.parse(missing.body.toString()) as { error: string; code: string };
      assert.equal(body.code, 'not_found');
      assert.ok(body.error.length > 0);
    }
  });
});
