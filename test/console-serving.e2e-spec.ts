import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { get, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import request from 'supertest';
import { CONSOLE_DIR } from '../src/console/serve-console.js';
import { createTestApp, startApp, TestApp } from './support/test-app.js';

/** The bytes as sent, not decoded (supertest would undo the compression this checks). */
function rawGet(
  server: Server,
  url: string,
  acceptEncoding?: string,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  const { port } = server.address() as AddressInfo;
  const headers = acceptEncoding === undefined ? {} : { 'Accept-Encoding': acceptEncoding };
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: url, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

/** How the app serves the browser console built by `npm run build` (the browser tests drive the console itself). */
describe('/console', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('serves the console page with a Content-Security-Policy that keeps scripts and connections on this origin', async () => {
    const res = await t.http.get('/console/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.text).toMatch(/<script type="module" crossorigin src="\/console\/assets\/index-[\w-]+\.js">/);
  });

  it('answers the page for every client-side route, so a run link opens directly', async () => {
    const page = (await t.http.get('/console/')).text;
    for (const path of ['/console', '/console/runs/6f1c2c52-0000-4000-8000-000000000000', '/console/debugger/s-1']) {
      const res = await t.http.get(path);
      expect(res.status).toBe(200);
      expect(res.text).toBe(page);
    }
  });

  it('serves hashed assets for a year, and a missing asset as a 404 problem rather than the page', async () => {
    const page = (await t.http.get('/console/')).text;
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(page)![1];
    const asset = await t.http.get(script);
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    const missing = await t.http.get('/console/assets/nope.js');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  describe('compressed delivery', () => {
    let server: Server;
    let script: string;
    let original: Buffer;
    beforeAll(async () => {
      server = t.app.getHttpServer() as Server;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      script = /src="(\/console\/assets\/[^"]+\.js)"/.exec((await t.http.get('/console/')).text)![1];
      original = readFileSync(path.join(CONSOLE_DIR, script.slice('/console/'.length)));
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('sends the bundle as brotli or gzip, as the browser accepts, with Vary and the original type', async () => {
      const cases = [
        { accept: 'gzip, deflate, br, zstd', encoding: 'br', decode: brotliDecompressSync },
        { accept: 'gzip, deflate', encoding: 'gzip', decode: gunzipSync },
        { accept: 'br;q=0, gzip', encoding: 'gzip', decode: gunzipSync },
        { accept: 'identity', encoding: undefined, decode: (bytes: Buffer) => bytes },
        { accept: undefined, encoding: undefined, decode: (bytes: Buffer) => bytes },
      ];
      for (const { accept, encoding, decode } of cases) {
        const res = await rawGet(server, script, accept);
        expect(res.status).toBe(200);
        expect(res.headers['content-encoding']).toBe(encoding);
        expect(res.headers.vary).toBe('Accept-Encoding');
        expect(res.headers['content-type']).toMatch(/^text\/javascript/);
        expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
        expect(decode(res.body).equals(original)).toBe(true);
        if (encoding) expect(res.body.length).toBeLessThan(original.length / 3);
      }
    });

    it('answers the favicon at /console/favicon.svg, linked from the page, and at /favicon.ico', async () => {
      expect((await t.http.get('/console/')).text).toContain(
        '<link rel="icon" type="image/svg+xml" href="/console/favicon.svg"',
      );
      for (const url of ['/console/favicon.svg', '/favicon.ico']) {
        const res = await rawGet(server, url, 'gzip, br');
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
        expect(res.headers['cache-control']).toBe('public, max-age=86400');
        expect(res.body.toString()).toMatch(/^<svg /);
      }
      expect((await rawGet(server, '/console/favicon.svg')).headers['content-security-policy']).toContain(
        "script-src 'self'",
      );
    });

    it('keeps the page uncached, and serves no file from outside the console', async () => {
      const page = await rawGet(server, '/console/index.html', 'br, gzip');
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      for (const url of [
        '/console/..%2f..%2fpackage.json',
        '/console/%2e%2e/%2e%2e/package.json',
        '/console/%E0%A4%A',
      ]) {
        const res = await rawGet(server, url);
        expect(res.body.toString()).not.toContain('"devDependencies"');
      }
    });
  });

  it('needs no key to load the page (the key is asked for in it), and other methods are not routes', async () => {
    expect((await t.http.get('/console/workflows/x')).status).toBe(200);
    const post = await t.http.post('/console/').send({});
    expect(post.status).toBe(404);
    expect(post.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('is not served by a worker, which serves only its health checks', async () => {
    const worker = await startApp(t.databaseUrl, { ROLE: 'worker' });
    try {
      expect((await request(worker.getHttpServer()).get('/console/')).status).toBe(404);
    } finally {
      await worker.close();
    }
  });
});
