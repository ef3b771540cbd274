import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';

describe('platform', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers liveness and readiness', async () => {
    expect((await t.http.get('/health/live')).status).toBe(200);
    const ready = await t.http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.info.database.status).toBe('up');
  });

  it('lists groups for the admin', async () => {
    const res = await t.http.get('/v1/groups').set('X-API-Key', ADMIN_KEY);
    expect(res.status).toBe(200);
    expect(res.body.items[0].name).toBe('default');
  });

  it('401 without key as problem+json', async () => {
    const res = await t.http.get('/v1/groups');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});
