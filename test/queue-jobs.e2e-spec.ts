import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { QUEUED_OUTSIDE_GROUPS } from '../src/database/queue.sql.js';
import { insertNewRunJob, queueRunJob } from '../src/database/queue-jobs.js';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { HANDOFF_MS } from '../src/executor/local-runs.js';
import { ADMIN_KEY, contractAgent, createTestApp, startApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';
import { createWorkflow, delayWorkflow } from './support/workflows.js';

// A dead instance's jobs are unlocked, and a stranded lock released, by the lock-holder ids the
// instance publishes with its heartbeat: they must be the ids graphile-worker really locks jobs with.
// The fetch gate forbids groups by the flag their runs' jobs carry: every queued run's job must
// carry it, and jobs queued without one (by versions before the gate) get it when a worker starts.
// A new run's job is inserted without add_job (and its NOTIFY): it must be the row add_job writes,
// and the instance must wake the workers for it. Runs are created on an API-only instance, so their
// jobs are due at once and taken by `t`'s worker; an instance that works the queue keeps its own runs
// for HANDOFF_MS first (LocalRuns).
describe('run queue jobs', () => {
  let t: TestApp;
  let apiOnly: NestExpressApplication;
  let db: pg.Client;
  const createRun = (workflowId: string, app = apiOnly) =>
    contractAgent(app.getHttpServer())
      .post(`/v1/workflows/${workflowId}/runs`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ input: {} });
  beforeAll(async () => {
    t = await createTestApp();
    apiOnly = await startApp(t.databaseUrl, { ROLE: 'api' });
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await apiOnly.close();
    await t.close();
  });

  it('are locked under an id the instance publishes, so others can unlock them', async () => {
    const workflow = await createWorkflow(t.http, delayWorkflow(4_000));
    const run = await createRun(workflow.id);
    expect(run.status).toBe(202);
    const lockedBy = await waitFor(async () => {
      const { rows } = await db.query<{ locked_by: string }>(
        `SELECT locked_by FROM graphile_worker._private_jobs WHERE locked_by IS NOT NULL AND payload->>'runId' = $1`,
        [run.body.id],
      );
      return rows[0]?.locked_by;
    }, 3_000);
    const published = await waitFor(async () => {
      const { rows } = await db.query<{ worker_ids: string[] }>(
        `SELECT worker_ids FROM instances WHERE $1 = ANY (worker_ids)`,
        [lockedBy],
      );
      return rows[0]?.worker_ids;
    }, 5_000);
    expect(published).toContain(lockedBy);
  });

  it("a queued run's job carries its group's flag, and an unflagged one is given it", async () => {
    const workflow = await createWorkflow(t.http, delayWorkflow(3_000));
    const run = await createRun(workflow.id);
    expect(run.status).toBe(202);
    const flags = await waitFor(async () => {
      const { rows } = await db.query<{ flags: Record<string, boolean> }>(
        `SELECT flags FROM graphile_worker._private_jobs WHERE payload->>'runId' = $1`,
        [run.body.id],
      );
      return rows[0]?.flags;
    }, 3_000);
    expect(flags).toEqual({ [`group:${run.body.group_id}`]: true });

    // As an earlier version queued it: no flag, payload without the group; due later, so no worker takes it.
    await db.query(
      `SELECT graphile_worker.add_job('execute_run', json_build_object('runId', $1::text), job_key := 'legacy:' || $1,
         run_at := now() + interval '1 hour')`,
      [run.body.id],
    );
    await db.query(QUEUED_OUTSIDE_GROUPS);
    const { rows } = await db.query<{ flags: Record<string, boolean> }>(
      `SELECT flags FROM graphile_worker._private_jobs WHERE key = 'legacy:' || $1`,
      [run.body.id],
    );
    expect(rows[0].flags).toEqual({ [`group:${run.body.group_id}`]: true });
    await db.query(`SELECT graphile_worker.remove_job('legacy:' || $1)`, [run.body.id]);
  });

  it("a new run's job is the row add_job writes for it", async () => {
    const [inserted, added, groupId] = [randomUUID(), randomUUID(), randomUUID()];
    await db.query('BEGIN');
    try {
      await db.query(
        `WITH source AS (SELECT $1::uuid AS id, $2::uuid AS group_id), job AS (${insertNewRunJob('source', '7', '0')})
         SELECT FROM job`,
        [inserted, groupId],
      );
      await db.query(`SELECT ${queueRunJob('$1::text', '$2::text', 'priority := 7')}`, [added, groupId]);
      const { rows } = await db.query<{ key: string; job: Record<string, unknown>; payload: unknown }>(
        `SELECT key, to_jsonb(jobs) - 'id' - 'key' - 'payload' AS job, payload FROM graphile_worker._private_jobs AS jobs
         WHERE key IN ('run:' || $1, 'run:' || $2) ORDER BY key = 'run:' || $1 DESC`,
        [inserted, added],
      );
      expect(rows.map((row) => row.payload)).toEqual([
        { runId: inserted, groupId },
        { runId: added, groupId },
      ]);
      expect(rows[0].job).toEqual(rows[1].job);
      expect(rows[0].job).toMatchObject({ priority: 7, flags: { [`group:${groupId}`]: true }, revision: 0 });
    } finally {
      await db.query('ROLLBACK');
    }
  });

  it('creating a queued run wakes the workers once it is committed', async () => {
    const listener = new pg.Client({ connectionString: t.databaseUrl });
    await listener.connect();
    try {
      const nudges: unknown[] = [];
      listener.on('notification', (message) => nudges.push(JSON.parse(message.payload ?? 'null')));
      await listener.query('LISTEN "jobs:insert"');
      const workflow = await createWorkflow(t.http, delayWorkflow(10));
      const run = await createRun(workflow.id);
      expect(run.status).toBe(202);
      expect(await waitFor(async () => nudges[0], 3_000)).toEqual({ count: 1 });
    } finally {
      await listener.end();
    }
  });

  it('a run created on an instance that works the queue waits there, its job held back, until a graceful stop', async () => {
    // One slot per group: the second run waits behind the first on the instance that created it.
    const local = await startApp(t.databaseUrl, { QUEUE_SLOTS_PER_GROUP: '1' });
    let closed = false;
    try {
      const workflow = await createWorkflow(t.http, delayWorkflow(1_500));
      const first = await createRun(workflow.id, local);
      const second = await createRun(workflow.id, local);
      expect([first.status, second.status]).toEqual([202, 202]);
      const job = async (runId: string) =>
        (
          await db.query<{ due_in_ms: number; locked: boolean; priority: number }>(
            `SELECT extract(epoch FROM run_at - now()) * 1000 AS due_in_ms, locked_at IS NOT NULL AS locked, priority
             FROM graphile_worker._private_jobs WHERE key = 'run:' || $1`,
            [runId],
          )
        ).rows[0];
      // Due later, so `t`'s worker leaves it; first in line when it does fall due (its instance died).
      const held = await job(second.body.id);
      expect(held).toMatchObject({ locked: false, priority: 0 });
      expect(Number(held.due_in_ms)).toBeGreaterThan(HANDOFF_MS - 2_000);
      // Out of runloom_queue_depth until it falls due, it is counted among the runs waiting here.
      const metrics = (await contractAgent(local.getHttpServer()).get('/metrics')).text;
      expect(metrics).toMatch(/^runloom_handed_off_runs_waiting 1$/m);
      // The first run took its job with it when it started here.
      await waitFor(async () => (await job(first.body.id)) === undefined || undefined, 3_000);

      // Stopping, the instance gives the waiting run's job to the queue at once: `t` runs it.
      await local.close();
      closed = true;
      const status = async () =>
        (await t.http.get(`/v1/runs/${second.body.id}`).set('X-API-Key', ADMIN_KEY)).body.status;
      expect(await waitFor(async () => ((await status()) === 'completed' ? 'completed' : undefined), 6_000)).toBe(
        'completed',
      );
    } finally {
      if (!closed) await local.close();
    }
  }, 20_000);
});
