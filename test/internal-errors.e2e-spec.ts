import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import { RunRecorder } from '../src/executor/run-recorder.js';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { storedEvents } from './support/stored-events.js';
import { createWorkflow, delayWorkflow } from './support/workflows.js';

describe('an error of ours while a run executes', () => {
  let t: TestApp;
  let db: pg.Client;
  beforeAll(async () => {
    t = await createTestApp({ ROLE: 'all' });
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  it('ends the run failed with internal_error once, and the sync caller gets the run (200), not a 503', async () => {
    const workflow = await createWorkflow(t.http, delayWorkflow(10));
    // A bug in a hook: the walker rejects with a TypeError, as with any error that is not the database's.
    const broken = jest.spyOn(RunRecorder.prototype, 'onProgress').mockImplementation(() => {
      throw new TypeError("Cannot read properties of undefined (reading 'percent')");
    });
    try {
      const res = await t.http
        .post(`/v1/workflows/${workflow.id}/runs/sync`)
        .set('X-API-Key', ADMIN_KEY)
        .send({ input: {} });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'failed',
        error: {
          node_id: null,
          type: 'internal_error',
          message: "the run failed on an internal error: Cannot read properties of undefined (reading 'percent')",
        },
      });
      const row = (await db.query('SELECT status, attempt, lease_owner FROM runs WHERE id = $1', [res.body.id]))
        .rows[0];
      // Not given back to be attempted again: the next attempt would meet the same bug.
      expect(row).toEqual({ status: 'failed', attempt: 1, lease_owner: null });
      const events = await storedEvents(db, res.body.id);
      expect(events.map((event) => event.type).at(-1)).toBe('run.failed');
    } finally {
      broken.mockRestore();
    }
  });
});
