import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { ExecutionService } from '../src/executor/execution.service.js';
import { FENCE_MS, LEASE_MS } from '../src/executor/run-lease.js';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';
import { createWorkflow, delayWorkflow } from './support/workflows.js';

describe('runs across failures', () => {
  let t: TestApp;
  let db: pg.Client;
  beforeAll(async () => {
    t = await createTestApp({ ROLE: 'all', MAX_RUN_ATTEMPTS: '2' });
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  const runRow = async (id: string) => (await db.query('SELECT * FROM runs WHERE id = $1', [id])).rows[0];

  /** An async run of a long delay, once a worker executes it. */
  const runningRun = async (ms: number): Promise<string> => {
    const workflow = await createWorkflow(t.http, delayWorkflow(ms));
    const created = await t.http
      .post(`/v1/workflows/${workflow.id}/runs`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ input: {} });
    const runId: string = created.body.id;
    await waitFor(async () => ((await runRow(runId)).status === 'running' ? true : undefined), 10_000);
    return runId;
  };

  it('a run whose holders keep dying fails after MAX_RUN_ATTEMPTS with attempts_exhausted and the last cause', async () => {
    // Its second attempt was on an instance that died: the lease reaper notes why and queues it.
    const runId = await runningRun(60_000);
    t.app.get(ExecutionService).stop(runId);
    await db.query(
      `UPDATE runs SET status = 'running', attempt = 2, lease_owner = 'host:1:dead', lease_expires_at = now() - interval '1 s',
         stop_requested_at = NULL, finished_at = NULL, error = NULL WHERE id = $1`,
      [runId],
    );

    const failed = await waitFor(async () => {
      const run = await t.http.get(`/v1/runs/${runId}`).set('X-API-Key', ADMIN_KEY);
      return run.body.status === 'failed' ? run.body : undefined;
    }, 15_000);
    expect(failed.error.type).toBe('attempts_exhausted');
    expect(failed.error.message).toContain('attempted 2 times');
    expect(failed.error.message).toContain('last cause: attempt 2 on instance host:1:dead stopped renewing its lease');
    const events = await db.query(`SELECT type FROM run_events WHERE run_id = $1 AND type = 'run.failed'`, [runId]);
    expect(events.rows).toHaveLength(1);
  }, 30_000);

  it('fencing: a holder that cannot renew its lease aborts the run before the lease can be taken over', async () => {
    const runId = await runningRun(30_000);
    // Renewals (and every other write to the row) now wait on this lock, as on a database that went away.
    const blocker = new pg.Client({ connectionString: t.databaseUrl });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('SELECT 1 FROM runs WHERE id = $1 FOR UPDATE', [runId]);
    const leaseExpiresAt = new Date((await runRow(runId)).lease_expires_at).getTime();
    await waitFor(async () => (t.app.get(ExecutionService)['active'].has(runId) ? undefined : true), LEASE_MS + 2_000);
    const abortedAt = Date.now();
    await blocker.query('ROLLBACK');
    await blocker.end();
    // Aborted before anyone else could claim the run, with time to spare.
    expect(abortedAt).toBeLessThan(leaseExpiresAt - (LEASE_MS - FENCE_MS) / 2);
  }, 30_000);

  it('a sync run whose execution fails after the run exists answers 503 with run_id and Location; its Idempotency-Key finds it again', async () => {
    const workflow = await createWorkflow(t.http, delayWorkflow(50));
    await db.query(`CREATE FUNCTION refuse_node_runs() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'disk full'; END $$`);
    await db.query(
      `CREATE TRIGGER refuse_node_runs BEFORE INSERT ON node_runs FOR EACH ROW EXECUTE FUNCTION refuse_node_runs()`,
    );
    const first = await t.http
      .post(`/v1/workflows/${workflow.id}/runs/sync`)
      .set('X-API-Key', ADMIN_KEY)
      .set('Idempotency-Key', 'sync-outage-1')
      .send({ input: {} });
    await db.query('DROP TRIGGER refuse_node_runs ON node_runs');
    expect(first.status).toBe(503);
    expect(first.headers['content-type']).toContain('application/problem+json');
    expect(first.body.type).toMatch(/run-outcome-unknown$/);
    expect(first.headers.location).toBe(`/v1/workflows/${workflow.id}/runs/${first.body.run_id}`);
    expect(first.headers['retry-after']).toBeDefined();
    expect(await runRow(first.body.run_id)).toBeDefined();

    // The run resumes elsewhere once its lease expires; the retry waits for it and answers with it.
    const again = await t.http
      .post(`/v1/workflows/${workflow.id}/runs/sync`)
      .set('X-API-Key', ADMIN_KEY)
      .set('Idempotency-Key', 'sync-outage-1')
      .send({ input: {} });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.run_id, status: 'completed' });
  }, 40_000);
});
