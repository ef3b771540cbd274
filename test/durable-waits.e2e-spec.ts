import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';
import { createWorkflow, edge } from './support/workflows.js';

/** start → SignalNode `approval` (optional schema, timeout) → OutputNode `answer`. */
function signalWorkflow(config: Record<string, unknown> = {}, policy: Record<string, unknown> = {}) {
  return {
    nodes: [
      { id: 'start', type: 'InputNode', config: { label: 'start', type: 'any', default: null } },
      { id: 'approval', type: 'SignalNode', config: { name: 'approval', ...config }, ...policy },
      { id: 'answer', type: 'OutputNode', config: { label: 'answer' } },
    ],
    edges: [edge('start.value', 'approval.value'), edge('approval.payload', 'answer.value')],
  };
}

/** start → WaitNode (config) → OutputNode `done`. */
function waitWorkflow(config: Record<string, unknown>) {
  return {
    nodes: [
      { id: 'start', type: 'InputNode', config: { label: 'start', type: 'any', default: null } },
      { id: 'wait', type: 'WaitNode', config },
      { id: 'done', type: 'OutputNode', config: { label: 'done' } },
    ],
    edges: [edge('start.value', 'wait.value'), edge('wait.value', 'done.value')],
  };
}

describe('durable waits', () => {
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

  const get = (path: string) => t.http.get(path).set('X-API-Key', ADMIN_KEY);
  const post = (path: string, body: unknown) =>
    t.http
      .post(path)
      .set('X-API-Key', ADMIN_KEY)
      .send(body as object);
  const runOf = (id: string) => get(`/v1/runs/${id}`).then((res) => res.body);
  const finished = (id: string, timeoutMs = 10_000) =>
    waitFor(async () => {
      const run = await runOf(id);
      return ['completed', 'failed', 'stopped'].includes(run.status) ? run : undefined;
    }, timeoutMs);

  it('a sync run that reaches a SignalNode answers 202 at once; the signal completes it with its payload', async () => {
    const workflow = await createWorkflow(t.http, signalWorkflow());
    const started = Date.now();
    const created = await post(`/v1/workflows/${workflow.id}/runs/sync`, { input: { start: 1 } });
    expect(created.status).toBe(202);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(created.headers.location).toBe(`/v1/workflows/${workflow.id}/runs/${created.body.id}`);
    expect(created.body.status).toBe('waiting');
    const runId: string = created.body.id;

    const nodes = (await get(`/v1/runs/${runId}/nodes`)).body.items;
    const approval = nodes.find((node: { node_id: string }) => node.node_id === 'approval');
    expect(approval).toMatchObject({ status: 'waiting', signal: { name: 'approval', schema: null } });
    expect(approval.resume_url).toMatch(/^\/v1\/resume\/[A-Za-z0-9_-]{43}$/);
    const row = (await db.query(`SELECT lease_owner, parks FROM runs WHERE id = $1`, [runId])).rows[0];
    expect(row).toEqual({ lease_owner: null, parks: 1 });

    const sent = await post(`/v1/runs/${runId}/signals/approval`, { payload: { approved: true } });
    expect(sent.status).toBe(202);
    const run = await finished(runId);
    expect(run.status).toBe('completed');
    expect(run.output).toEqual({ answer: { approved: true } });
  }, 30_000);
});
