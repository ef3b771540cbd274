import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { MIGRATIONS_DIR } from '../src/database/migrate.js';
import { applyMigrations, readMigrations } from '../src/database/migrator.js';
import { expectProblem } from './support/problems.js';
import { newGroupWithKey } from './support/groups.js';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { createEmptyDatabase } from './support/test-database.js';
import { waitFor } from './support/wait.js';
import { createWorkflow, delayWorkflow } from './support/workflows.js';

describe('group names, renaming and deleting groups', () => {
  let t: TestApp;
  let db: pg.Client;
  beforeAll(async () => {
    t = await createTestApp({ SECRETS_KEY: randomBytes(32).toString('base64') });
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  const admin = (method: 'get' | 'post' | 'patch' | 'delete' | 'put', path: string, key = ADMIN_KEY) =>
    t.http[method](path).set('X-API-Key', key);
  const newGroup = async (name: string): Promise<string> => {
    const res = await admin('post', '/v1/groups').send({ name });
    expect(res.status).toBe(201);
    return res.body.id;
  };
  const rowCount = async (sql: string, id: string) => (await db.query(sql, [id])).rowCount;

  it('refuses a name another group has, regardless of case, with 409', async () => {
    await newGroup('Marketing');
    for (const name of ['Marketing', 'marketing', 'MARKETING']) {
      const res = await admin('post', '/v1/groups').send({ name });
      expectProblem(res, 409, 'group-name-taken');
      expect(res.body).toMatchObject({ name });
    }
    expect((await db.query(`SELECT 1 FROM groups WHERE lower(name) = 'marketing'`)).rowCount).toBe(1);
  });

  it('renames a group with PATCH, beside its limits; a taken name is 409, an unknown group 404', async () => {
    const id = await newGroup('sales');
    await newGroup('ops-team');
    const renamed = await admin('patch', `/v1/groups/${id}`).send({ name: 'Sales EMEA', limits: { max_schedules: 7 } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id, name: 'Sales EMEA', limits: { max_schedules: { value: 7 } } });
    // Its own name in another case is no conflict.
    expect((await admin('patch', `/v1/groups/${id}`).send({ name: 'sales emea' })).body.name).toBe('sales emea');
    expectProblem(await admin('patch', `/v1/groups/${id}`).send({ name: 'OPS-TEAM' }), 409, 'group-name-taken');
    expect((await admin('get', `/v1/groups/${id}`)).body.name).toBe('sales emea');
    // Refused limits refuse the rename sent with them.
    expectProblem(
      await admin('patch', `/v1/groups/${id}`).send({ name: 'Sales APAC', limits: { max_schedules: -1 } }),
      422,
      'validation-error',
    );
    expect((await admin('get', `/v1/groups/${id}`)).body.name).toBe('sales emea');
    expectProblem(
      await admin('patch', '/v1/groups/00000000-0000-4000-8000-000000000000').send({ name: 'x' }),
      404,
      'not-found',
    );
    for (const name of ['', null, 42, 'x'.repeat(201)]) {
      expectProblem(await admin('patch', `/v1/groups/${id}`).send({ name }), 422, 'validation-error');
    }
  });

  it('deletes an empty group (204, then 404), and only with an admin key', async () => {
    const id = await newGroup('short-lived');
    const member = await newGroupWithKey(t.http, 'members-only');
    expectProblem(await admin('delete', `/v1/groups/${id}`, member.key), 403);
    expect((await admin('delete', `/v1/groups/${id}`)).status).toBe(204);
    expectProblem(await admin('get', `/v1/groups/${id}`), 404, 'not-found');
    expectProblem(await admin('delete', `/v1/groups/${id}`), 404, 'not-found');
    expectProblem(await admin('delete', '/v1/groups/not-a-uuid'), 404, 'not-found');
    expectProblem(await admin('delete', `/v1/groups/${member.groupId}?force=maybe`), 422, 'validation-error');
    // The name is free again.
    expect((await admin('post', '/v1/groups').send({ name: 'short-lived' })).status).toBe(201);
  });

  it('refuses to delete a group that holds things, counting each kind; force deletes it all in one go', async () => {
    const { groupId, key } = await newGroupWithKey(t.http, 'crowded');
    const other = await newGroupWithKey(t.http, 'neighbour');
    const both = await admin('post', '/v1/api-keys').send({
      name: 'two groups',
      role: 'member',
      group_ids: [other.groupId, groupId],
    });
    const workflow = await createWorkflow(t.http, delayWorkflow(1), { key });
    const run = await t.http.post(`/v1/workflows/${workflow.id}/runs/sync`).set('X-API-Key', key).send({ input: {} });
    expect(run.status).toBe(200);
    const schedule = await t.http
      .post(`/v1/workflows/${workflow.id}/schedules`)
      .set('X-API-Key', key)
      .send({ cron: '0 0 1 1 *', timezone: 'UTC', input: {} });
    expect(schedule.status).toBe(201);
    expect((await t.http.put('/v1/secrets/TOKEN').set('X-API-Key', key).send({ value: 'abc-123-secret' })).status).toBe(
      201,
    );
    const neighbourWorkflow = await createWorkflow(t.http, delayWorkflow(1), { key: other.key });

    const refused = await admin('delete', `/v1/groups/${groupId}`);
    expectProblem(refused, 409, 'group-not-empty');
    expect(refused.body.holds).toEqual({
      workflows: 1,
      runs: 1,
      active_runs: 0,
      schedules: 1,
      secrets: 1,
      api_keys: 1,
    });
    expect(refused.body.detail).toContain('?force=true');

    expect((await admin('delete', `/v1/groups/${groupId}?force=true`)).status).toBe(204);
    expectProblem(await admin('get', `/v1/groups/${groupId}`), 404);
    for (const table of ['workflows', 'runs', 'schedules', 'secrets']) {
      expect(await rowCount(`SELECT 1 FROM ${table} WHERE group_id = $1`, groupId)).toBe(0);
    }
    expect(await rowCount('SELECT 1 FROM workflow_versions WHERE workflow_id = $1', workflow.id)).toBe(0);
    expect(await rowCount('SELECT 1 FROM node_runs WHERE run_id = $1', run.body.id)).toBe(0);
    // The key whose default group it was is revoked at once; a key of two groups keeps the other.
    expectProblem(await t.http.get('/v1/workflows').set('X-API-Key', key), 401);
    const survivor = (await db.query('SELECT group_ids, revoked_at FROM api_keys WHERE id = $1', [both.body.id]))
      .rows[0];
    expect(survivor).toEqual({ group_ids: [other.groupId], revoked_at: null });
    expect((await t.http.get(`/v1/workflows/${neighbourWorkflow.id}`).set('X-API-Key', other.key)).status).toBe(200);
  });

  it('refuses force while runs are active, and never deletes the default group of the key asking', async () => {
    const { groupId, key } = await newGroupWithKey(t.http, 'busy');
    const slow = await createWorkflow(t.http, delayWorkflow(60_000), { key });
    const started = await t.http.post(`/v1/workflows/${slow.id}/runs`).set('X-API-Key', key).send({ input: {} });
    expect(started.status).toBe(202);
    const refused = await admin('delete', `/v1/groups/${groupId}?force=true`);
    expectProblem(refused, 409, 'group-not-empty');
    expect(refused.body.holds.active_runs).toBe(1);
    expect(refused.body.detail).toContain(`POST /v1/runs/stop?group_id=${groupId}`);

    expect(
      (await admin('post', `/v1/runs/stop?group_id=${groupId}`).send({ status: ['queued', 'running', 'waiting'] }))
        .status,
    ).toBe(200);
    await waitFor(async () => {
      const run = await t.http.get(`/v1/runs/${started.body.id}`).set('X-API-Key', key);
      return run.body.status === 'stopped' ? true : undefined;
    }, 15_000);
    expect((await admin('delete', `/v1/groups/${groupId}?force=true`)).status).toBe(204);

    expectProblem(await admin('delete', `/v1/groups/${t.defaultGroupId}?force=true`), 409, 'own-default-group');
    expect((await admin('get', `/v1/groups/${t.defaultGroupId}`)).status).toBe(200);
  });
});

describe('the migration that makes group names unique', () => {
  it('renames existing duplicates deterministically, oldest first, skipping names taken', async () => {
    const db = await createEmptyDatabase();
    const client = new pg.Client({ connectionString: db.url });
    try {
      const migrations = await readMigrations(MIGRATIONS_DIR);
      const unique = migrations.findIndex((m) => m.name.endsWith('_unique_group_names'));
      await applyMigrations(db.url, migrations.slice(0, unique));
      await client.connect();
      const groups: [string, string][] = [
        ['marketing', '2026-01-01'],
        ['Marketing', '2026-01-02'],
        ['marketing (2)', '2026-01-03'],
        ['MARKETING', '2026-01-04'],
        ['sales', '2026-01-05'],
      ];
      for (const [index, [name, createdAt]] of groups.entries()) {
        await client.query(`INSERT INTO groups (id, name, webhook_secret, created_at) VALUES ($1, $2, 's', $3)`, [
          `00000000-0000-4000-8000-00000000000${index}`,
          name,
          createdAt,
        ]);
      }
      await applyMigrations(db.url, migrations);
      const names = (await client.query<{ name: string }>('SELECT name FROM groups ORDER BY id')).rows;
      expect(names.map((row) => row.name)).toEqual([
        'marketing',
        'Marketing (3)',
        'marketing (2)',
        'MARKETING (4)',
        'sales',
      ]);
      await expect(
        client.query(`INSERT INTO groups (id, name, webhook_secret) VALUES (gen_random_uuid(), 'SALES', 's')`),
      ).rejects.toThrow(/groups_name_lower_key/);
    } finally {
      await client.end();
      await db.drop();
    }
  });
});
