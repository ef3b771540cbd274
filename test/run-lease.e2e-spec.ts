import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { ExecutionService } from '../src/executor/execution.service.js';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { createWorkflow } from './support/workflows.js';

// A holder that stalls past its lease and is replaced must not write over the new attempt.
describe('lease ownership', () => {
  let t: TestApp;
  let db: pg.Client;
  beforeAll(async () => {
    t = await createTestApp({ ROLE: 'api' });
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  it('refuses every write from an instance whose lease was taken over', async () => {
    const workflow = await createWorkflow(t.http, {
      nodes: [
        { id: 'wait', type: 'DelayNode', config: { ms: 600 } },
        { id: 'out', type: 'OutputNode', config: { label: 'out' } },
      ],
      edges: [{ from: { node_id: 'wait', output: 'value' }, to: { node_id: 'out', input: 'value' } }],
    });
    const queued = await t.http
      .post(`/v1/workflows/${workflow.id}/runs`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ input: {} });
    const execution = t.app.get(ExecutionService).claimAndExecute(queued.body.id);
    for (let i = 0; i < 50; i++) {
      const rows = await db.query(`SELECT status FROM node_runs WHERE run_id = $1 AND node_id = 'wait'`, [
        queued.body.id,
      ]);
      if (rows.rows[0]?.status === 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await db.query(`UPDATE runs SET lease_owner = 'another-instance' WHERE id = $1`, [queued.body.id]);

    expect(await execution).toBeNull();
    const run = (await db.query('SELECT status, lease_owner FROM runs WHERE id = $1', [queued.body.id])).rows[0];
    expect(run).toEqual({ status: 'running', lease_owner: 'another-instance' });
    const nodes = await db.query('SELECT node_id, status FROM node_runs WHERE run_id = $1', [queued.body.id]);
    expect(nodes.rows).toEqual([{ node_id: 'wait', status: 'running' }]);
    const finals = await db.query(
      `SELECT count(*)::int AS n FROM run_events WHERE run_id = $1 AND type LIKE 'run.%ed' AND type <> 'run.queued' AND type <> 'run.started'`,
      [queued.body.id],
    );
    expect(finals.rows[0].n).toBe(0);
  });
});
