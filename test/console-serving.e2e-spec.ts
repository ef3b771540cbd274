import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createTestApp, startApp, TestApp } from './support/test-app.js';

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
