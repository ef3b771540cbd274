import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { ADMIN_KEY, createTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';
import { createWorkflow, delayWorkflow } from './support/workflows.js';

// A dead instance's jobs are unlocked, and a stranded lock released, by the lock-holder ids the
// instance publishes with its heartbeat: they must be the ids graphile-worker really locks jobs with.
describe('queue job locks', () => {
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

  it('are held under an id the instance publishes, so others can unlock them', async () => {
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
});
