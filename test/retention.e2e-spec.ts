import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { RetentionPurger } from '../src/runs/retention/retention-purger.js';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { storedEvents } from './support/stored-events.js';
import { waitFor } from './support/wait.js';
import { createWorkflow, delayWorkflow, SEED_DEFINITION } from './support/workflows.js';

const INPUT = { 'User Question': 'old?', Context: 'retention' };

describe('retention', () => {
  let t: TestApp;
  let db: pg.Client;
  const api = (method: 'get' | 'post' | 'delete', path: string) => t.http[method](path).set('X-API-Key', ADMIN_KEY);
  const count = async (sql: string, id: string) => Number((await db.query(sql, [id])).rows[0].count);
  const runSync = async (workflowId: string, idempotencyKey?: string) => {
    const request = api('post', `/v1/workflows/${workflowId}/runs/sync`);
    if (idempotencyKey) request.set('Idempotency-Key', idempotencyKey);
    const res = await request.send({ input: INPUT });
    expect(res.body.status).toBe('completed');
    return res.body.id as string;
  };
  const age = (runId: string, days: number) =>
    db.query(
      `UPDATE runs SET created_at = created_at - make_interval(days => $2),
         finished_at = finished_at - make_interval(days => $2) WHERE id = $1`,
      [runId, days],
    );

  beforeAll(async () => {
    t = await createTestApp({ RUN_RETENTION_DAYS: '7' });
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  it('purges finished runs older than RUN_RETENTION_DAYS with their records, and nothing else', async () => {
    const workflow = await createWorkflow(t.http);
    const [old1, old2, recent] = [await runSync(workflow.id), await runSync(workflow.id), await runSync(workflow.id)];
    const slow = await createWorkflow(t.http, delayWorkflow(60_000));
    const running = (await api('post', `/v1/workflows/${slow.id}/runs`).send({ input: {} })).body.id;
    await waitFor(
      async () => ((await api('get', `/v1/runs/${running}`)).body.status === 'running' ? true : undefined),
      10_000,
    );
    await Promise.all([age(old1, 8), age(old2, 30), age(recent, 6), age(running, 30)]);
    expect((await storedEvents(db, old1)).length).toBeGreaterThan(0);

    await t.app.get(RetentionPurger).purge();

    for (const id of [old1, old2]) {
      expect((await api('get', `/v1/runs/${id}`)).status).toBe(404);
      expect(await count('SELECT count(*) FROM node_runs WHERE run_id = $1', id)).toBe(0);
      expect(await count('SELECT count(*) FROM run_events WHERE run_id = $1', id)).toBe(0);
      expect(await count('SELECT count(*) FROM runs WHERE id = $1', id)).toBe(0);
    }
    expect((await api('get', `/v1/runs/${recent}`)).body.status).toBe('completed');
    expect((await api('get', `/v1/runs/${recent}/nodes`)).body.items.length).toBeGreaterThan(0);
    expect((await api('get', `/v1/runs/${running}`)).body.status).toBe('running');
    expect((await api('get', `/v1/workflows/${workflow.id}`)).status).toBe(200);
    const metrics = (await t.http.get('/metrics')).text;
    expect(metrics).toMatch(/runloom_purged_rows_total\{table="runs"\} 2\b/);
    expect(metrics).toMatch(/runloom_purged_rows_total\{table="run_events"\} [1-9]/);
    await api('post', `/v1/runs/${running}/stop`);
  });

  it('frees Idempotency-Keys once their 24 h window has passed', async () => {
    const workflow = await createWorkflow(t.http);
    const first = await runSync(workflow.id, 'nightly-1');
    await db.query(`UPDATE runs SET created_at = created_at - interval '25 hours' WHERE id = $1`, [first]);
    await t.app.get(RetentionPurger).purge();
    expect(await count('SELECT count(*) FROM runs WHERE id = $1 AND idempotency_key IS NULL', first)).toBe(1);
    expect(await runSync(workflow.id, 'nightly-1')).not.toBe(first);
    expect((await t.http.get('/metrics')).text).toMatch(/runloom_purged_rows_total\{table="idempotency_keys"\} [1-9]/);
  });

  it('DELETE /v1/runs/{id}: 204 for a finished run, 409 while it runs, 404 for a foreign or unknown run', async () => {
    const workflow = await createWorkflow(t.http, SEED_DEFINITION);
    const done = await runSync(workflow.id);
    const group = (await api('post', '/v1/groups').send({ name: 'other' })).body;
    expect((await api('delete', `/v1/runs/${done}?group_id=${group.id}`)).status).toBe(404);
    expect((await api('delete', `/v1/runs/${done}`)).status).toBe(204);
    expect((await api('get', `/v1/runs/${done}`)).status).toBe(404);
    expect((await api('delete', `/v1/runs/${done}`)).status).toBe(404);
    expect((await api('delete', '/v1/runs/not-a-uuid')).status).toBe(404);

    const slow = await createWorkflow(t.http, delayWorkflow(60_000));
    const running = (await api('post', `/v1/workflows/${slow.id}/runs`).send({ input: {} })).body.id;
    const conflict = await api('delete', `/v1/runs/${running}`);
    expect(conflict.status).toBe(409);
    expect(conflict.headers['content-type']).toContain('application/problem+json');
    await api('post', `/v1/runs/${running}/stop`);
    expect((await api('delete', `/v1/runs/${running}`)).status).toBe(204);
  });
});

describe('RUN_RETENTION_DAYS=0', () => {
  it('keeps every run', async () => {
    const t = await createTestApp({ RUN_RETENTION_DAYS: '0' });
    try {
      const workflow = await createWorkflow(t.http);
      const res = await t.http
        .post(`/v1/workflows/${workflow.id}/runs/sync`)
        .set('X-API-Key', ADMIN_KEY)
        .send({ input: INPUT });
      const db = new pg.Client({ connectionString: t.databaseUrl });
      await db.connect();
      await db.query(`UPDATE runs SET finished_at = finished_at - interval '3650 days' WHERE id = $1`, [res.body.id]);
      await db.end();
      await t.app.get(RetentionPurger).purge();
      expect((await t.http.get(`/v1/runs/${res.body.id}`).set('X-API-Key', ADMIN_KEY)).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
