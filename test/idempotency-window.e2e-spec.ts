import { beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN_KEY } from './support/test-app.js';
import { useTestAppAndDatabase } from './support/test-app-and-database.js';
import { createWorkflow } from './support/workflows.js';

const BODY = { input: { 'User Question': 'once a day', Context: 'idempotency' } };

describe('an Idempotency-Key after its 24 h window', () => {
  const suite = useTestAppAndDatabase();
  let workflowId: string;
  const runSync = (key: string, body: object = BODY) =>
    suite.t.http
      .post(`/v1/workflows/${workflowId}/runs/sync`)
      .set('X-API-Key', ADMIN_KEY)
      .set('Idempotency-Key', key)
      .send(body);
  /** Moves the run's creation back in time, as if it had been created `hours` earlier. */
  const age = (runId: string, hours: number) =>
    suite.db.query(`UPDATE runs SET created_at = created_at - $2::float8 * interval '1 hour' WHERE id = $1`, [
      runId,
      hours,
    ]);
  const keyOf = async (runId: string) =>
    (await suite.db.query('SELECT idempotency_key FROM runs WHERE id = $1', [runId])).rows[0].idempotency_key;

  beforeAll(async () => {
    workflowId = (await createWorkflow(suite.t.http)).id;
  });

  it('answers with the same run inside the window, and creates a new run once it has passed', async () => {
    const first = await runSync('daily-report');
    expect(first.status).toBe(200);
    await age(first.body.id, 23.9);
    expect((await runSync('daily-report')).body.id).toBe(first.body.id);

    await age(first.body.id, 0.2);
    const second = await runSync('daily-report');
    expect(second.status).toBe(200);
    expect(second.body.status).toBe('completed');
    expect(second.body.id).not.toBe(first.body.id);
    expect(await keyOf(first.body.id)).toBeNull(); // the old run stays, without the key
    expect(await keyOf(second.body.id)).toBe('daily-report');
    expect((await runSync('daily-report')).body.id).toBe(second.body.id);
  });

  it('accepts a different body under an expired key instead of answering 422', async () => {
    const first = await runSync('weekly-report');
    const other = { input: { 'User Question': 'something else', Context: 'idempotency' } };
    expect((await runSync('weekly-report', other)).status).toBe(422);

    await age(first.body.id, 24.1);
    const second = await runSync('weekly-report', other);
    expect(second.status).toBe(200);
    expect(second.body.id).not.toBe(first.body.id);
    expect(second.body.input).toEqual(other.input);
  });
});
