import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';

describe('GET /v1/me', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const createGroup = async (name: string): Promise<string> =>
    (await t.http.post('/v1/groups').set('X-API-Key', ADMIN_KEY).send({ name })).body.id;

  it("tells a key its role, default group and allowed groups by name, without the groups' secrets", async () => {
    const sales = await createGroup('sales');
    const ops = await createGroup('ops');
    const created = await t.http
      .post('/v1/api-keys')
      .set('X-API-Key', ADMIN_KEY)
      .send({ name: 'two groups', role: 'member', group_ids: [sales, ops], default_group_id: ops });
    expect(created.status).toBe(201);

    const res = await t.http.get('/v1/me').set('X-API-Key', created.body.key);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      key_id: created.body.id,
      role: 'member',
      default_group_id: ops,
      groups: [
        { id: ops, name: 'ops', created_at: expect.any(String) },
        { id: sales, name: 'sales', created_at: expect.any(String) },
      ],
    });
  });

  it("answers the admin key's own groups", async () => {
    const res = await t.http.get('/v1/me').set('X-API-Key', ADMIN_KEY);
    expect(res.body).toMatchObject({ role: 'admin', default_group_id: t.defaultGroupId });
    expect(res.body.groups.map((group: { name: string }) => group.name)).toEqual(['default']);
  });

  it('401s without a valid key', async () => {
    expect((await t.http.get('/v1/me')).status).toBe(401);
    expect((await t.http.get('/v1/me').set('X-API-Key', 'rl_nope')).status).toBe(401);
  });
});
