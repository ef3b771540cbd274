import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

describe('API keys and groups', () => {
  let t: TestApp;
  const admin = (req: ReturnType<TestApp['http']['get']>) => req.set('X-API-Key', ADMIN_KEY);

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  async function newGroup(name: string): Promise<{ id: string; webhook_secret: string }> {
    const res = await t.http.post('/v1/groups').set('X-API-Key', ADMIN_KEY).send({ name });
    expect(res.status).toBe(201);
    return res.body;
  }

  async function newKey(body: Record<string, unknown>): Promise<{ id: string; key: string; prefix: string }> {
    const res = await t.http.post('/v1/api-keys').set('X-API-Key', ADMIN_KEY).send(body);
    expect(res.status).toBe(201);
    return res.body;
  }

  it('creates a group with a whsec_ secret, shown on single reads but not in listings', async () => {
    const group = await newGroup('marketing');
    expect(group.webhook_secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    const one = await admin(t.http.get(`/v1/groups/${group.id}`));
    expect(one.body.webhook_secret).toBe(group.webhook_secret);
    const list = await admin(t.http.get('/v1/groups?page_size=100'));
    expect(list.body.items.find((g: { id: string }) => g.id === group.id)).not.toHaveProperty('webhook_secret');
    expect(list.body.total).toBeGreaterThanOrEqual(2);
  });

  it('shows a new key once: never in listings, only a hash is stored', async () => {
    const group = await newGroup('keys-once');
    const created = await newKey({ name: 'ci', role: 'member', group_ids: [group.id] });
    expect(created.key).toMatch(/^rl_[A-Za-z0-9]{40}$/);
    expect(created.key.startsWith(created.prefix)).toBe(true);
    const list = await admin(t.http.get('/v1/api-keys?page_size=100'));
    expect(JSON.stringify(list.body)).not.toContain(created.key);
    const db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    const rows = await db.query('SELECT * FROM api_keys WHERE id = $1', [created.id]);
    await db.end();
    expect(JSON.stringify(rows.rows)).not.toContain(created.key);
    expect(rows.rows[0].hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects a key body naming unknown groups, or a default outside group_ids, with every problem', async () => {
    const res = await admin(t.http.post('/v1/api-keys')).send({
      name: 'x',
      role: 'member',
      group_ids: ['00000000-0000-4000-8000-000000000000'],
      default_group_id: t.defaultGroupId,
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { field: 'group_ids[0]', message: 'group 00000000-0000-4000-8000-000000000000 does not exist' },
      { field: 'default_group_id', message: 'default_group_id must be one of group_ids' },
    ]);
  });

  it('validates key bodies field by field', async () => {
    const res = await admin(t.http.post('/v1/api-keys')).send({ role: 'root', group_ids: ['nope'], extra: 1 });
    expect(res.status).toBe(422);
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(expect.arrayContaining(['extra', 'group_ids', 'name', 'role']));
  });

  it('401s missing, unknown, revoked and expired keys', async () => {
    expect((await t.http.get('/v1/groups')).status).toBe(401);
    expect((await t.http.get('/v1/groups').set('X-API-Key', 'rl_unknown')).status).toBe(401);
    const key = await newKey({ name: 'short-lived', role: 'admin', group_ids: [t.defaultGroupId] });
    expect((await t.http.get('/v1/groups').set('X-API-Key', key.key)).status).toBe(200);
    expect((await admin(t.http.delete(`/v1/api-keys/${key.id}`))).status).toBe(204);
    const revoked = await t.http.get('/v1/groups').set('X-API-Key', key.key);
    expect(revoked.status).toBe(401);
    expect(revoked.body.detail).toContain('revoked');

    const expiring = await newKey({
      name: 'expiring',
      role: 'admin',
      group_ids: [t.defaultGroupId],
      expires_at: new Date(Date.now() + 1500).toISOString(),
    });
    expect((await t.http.get('/v1/groups').set('X-API-Key', expiring.key)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const expired = await t.http.get('/v1/groups').set('X-API-Key', expiring.key);
    expect(expired.status).toBe(401);
    expect(expired.body.detail).toContain('expired');
  });

  it('revoking an unknown key is 404; a non-uuid id is 404', async () => {
    expect((await admin(t.http.delete('/v1/api-keys/00000000-0000-4000-8000-000000000000'))).status).toBe(404);
    expect((await admin(t.http.delete('/v1/api-keys/abc'))).status).toBe(404);
    expect((await admin(t.http.get('/v1/groups/abc'))).status).toBe(404);
  });

  it('member keys get 403 on every admin endpoint', async () => {
    const member = await newKey({ name: 'member', role: 'member', group_ids: [t.defaultGroupId] });
    const calls = [
      t.http.get('/v1/groups'),
      t.http.post('/v1/groups').send({ name: 'x' }),
      t.http.get(`/v1/groups/${t.defaultGroupId}`),
      t.http.get('/v1/api-keys'),
      t.http.post('/v1/api-keys').send({ name: 'x', role: 'admin', group_ids: [t.defaultGroupId] }),
      t.http.delete(`/v1/api-keys/${member.id}`),
    ];
    for (const call of calls) {
      const res = await call.set('X-API-Key', member.key);
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('records last_used_at without a write per request', async () => {
    const key = await newKey({ name: 'usage', role: 'admin', group_ids: [t.defaultGroupId] });
    await t.http.get('/v1/groups').set('X-API-Key', key.key);
    const lastUsed = await waitFor(async () => {
      const list = await admin(t.http.get('/v1/api-keys?page_size=100'));
      return list.body.items.find((k: { id: string }) => k.id === key.id).last_used_at ?? undefined;
    }, 5_000);
    expect(Date.parse(lastUsed)).toBeGreaterThan(Date.now() - 10_000);
  });
});

describe('rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After once a key exceeds its limit', async () => {
    for (let i = 0; i < 3; i++) expect((await t.http.get('/v1/groups').set('X-API-Key', ADMIN_KEY)).status).toBe(200);
    const limited = await t.http.get('/v1/groups').set('X-API-Key', ADMIN_KEY);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.body.status).toBe(429);
  });
});
