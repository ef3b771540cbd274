import { describe, expect, it } from '@jest/globals';
import { ADMIN_KEY } from './support/test-app.js';
import { useTestAppAndDatabase } from './support/test-app-and-database.js';
import { createWorkflow } from './support/workflows.js';

/** How long POST /v1/runs/{id}/stop waits for the run's holder to confirm. */
const STOP_WAIT_MS = 10_000;

describe('stopping a run whose holder does not answer', () => {
  // API only: no worker here takes the run, so only the instance the test makes up holds it.
  const suite = useTestAppAndDatabase({ ROLE: 'api' });
  const stop = (runId: string) => suite.t.http.post(`/v1/runs/${runId}/stop`).set('X-API-Key', ADMIN_KEY);

  it(
    `answers 202 with the unfinished run after ${STOP_WAIT_MS / 1000} s; the stop completes once the lease is gone`,
    async () => {
      const workflow = await createWorkflow(suite.t.http);
      const created = await suite.t.http
        .post(`/v1/workflows/${workflow.id}/runs`)
        .set('X-API-Key', ADMIN_KEY)
        .send({ input: { 'User Question': 'held' } });
      expect(created.status).toBe(202);
      // Held by an instance that is frozen (or cut off): its lease is live, yet it hears no stop request.
      await suite.db.query(
        `UPDATE runs SET status = 'running', started_at = now(), attempt = 1,
         lease_owner = 'frozen-instance', lease_expires_at = now() + interval '10 minutes'
       WHERE id = $1`,
        [created.body.id],
      );

      const asked = Date.now();
      const unconfirmed = await stop(created.body.id);
      const waited = Date.now() - asked;
      expect(unconfirmed.status).toBe(202);
      expect(unconfirmed.body).toMatchObject({ id: created.body.id, status: 'running', finished_at: null });
      expect(waited).toBeGreaterThanOrEqual(STOP_WAIT_MS - 100);
      expect(waited).toBeLessThan(STOP_WAIT_MS + 5_000);
      const row = (await suite.db.query('SELECT stop_requested_at FROM runs WHERE id = $1', [created.body.id])).rows[0];
      expect(row.stop_requested_at).not.toBeNull(); // the holder stops at its next lease renewal

      await suite.db.query(`UPDATE runs SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [
        created.body.id,
      ]);
      const stopped = await stop(created.body.id);
      expect(stopped.status).toBe(200);
      expect(stopped.body.status).toBe('stopped');
    },
    STOP_WAIT_MS + 20_000,
  );
});
