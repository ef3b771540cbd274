import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { QUEUED_OUTSIDE_GROUPS } from '../src/database/queue.sql.js';
import { ADMIN_KEY, createTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';
import { createWorkflow, delayWorkflow } from './support/workflows.js';

// A dead instance's jobs are unlocked, and a stranded lock released, by the lock-holder ids the
// instance publishes with its heartbeat: they must be the ids graphile-worker really locks jobs with.
// The fetch gate forbids groups by the flag their runs' jobs carry: every queued run's job must
// carry it, and jobs queued without one (by versions before the gate) get it when a worker starts.
describe('run queue jobs', () => {
  let t: TestApp;
  let db: pg.Client;
  beforeAll(async () => {
    t = await createTestApp();
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  it('are locked under an id the instance publishes, so others can unlock them', async () => {
    const workflow = await createWorkflow(t.http, delayWorkflow(4_000));
    const run = await t.http.post(`/v1/workflows/${workflow.id}/runs`).set('X-API-Key', ADMIN_KEY).send({ input: {} });
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
    const run = await t.http.post(`/v1/workflows/${workflow.id}/runs`).set('X-API-Key', ADMIN_KEY).send({ input: {} });
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
});
