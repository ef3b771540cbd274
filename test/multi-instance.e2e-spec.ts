import { describe, expect, it } from '@jest/globals';
import { call } from './support/api-call.js';
import { useServerProcesses } from './support/server-processes.js';
import { readEventStream } from './support/sse.js';
import { ADMIN_KEY } from './support/test-app.js';
import { waitFor } from './support/wait.js';
import { SEED_DEFINITION } from './support/workflows.js';

/** Input → a fast Transform → a Delay → Output: the crash lands while `wait` runs. */
function slowWorkflow(ms: number) {
  return {
    nodes: [
      { id: 'in', type: 'InputNode', config: { label: 'n', type: 'int' } },
      { id: 'first', type: 'TransformNode', config: { expression: '$ + 1' } },
      { id: 'wait', type: 'DelayNode', config: { ms } },
      { id: 'out', type: 'OutputNode', config: { label: 'result' } },
    ],
    edges: [
      { from: { node_id: 'in', output: 'value' }, to: { node_id: 'first', input: 'data' } },
      { from: { node_id: 'first', output: 'result' }, to: { node_id: 'wait', input: 'value' } },
      { from: { node_id: 'wait', output: 'value' }, to: { node_id: 'out', input: 'value' } },
    ],
  };
}

/** A change notice crosses instances in milliseconds; this bound only absorbs a loaded machine. */
const NOTICE_MS = 2_000;

describe('several processes on one database', () => {
  const suite = useServerProcesses();
  const { start } = suite;

  const nodeStatus = async (runId: string, nodeId: string) =>
    (await suite.db.query('SELECT status FROM node_runs WHERE run_id = $1 AND node_id = $2', [runId, nodeId])).rows[0]
      ?.status;
  const runRow = async (runId: string) => (await suite.db.query('SELECT * FROM runs WHERE id = $1', [runId])).rows[0];

  it('a run created on an API instance is executed by a worker, streamed and stopped from the API', async () => {
    const api = await start({ ROLE: 'api' });
    const worker = await start({ ROLE: 'worker' });
    const workflow = (await call(api.base, 'POST', '/v1/workflows', { name: 'slow', definition: slowWorkflow(10_000) }))
      .body;
    const created = await call(api.base, 'POST', `/v1/workflows/${workflow.id}/runs`, { input: { n: 1 } });
    expect(created.status).toBe(202);
    const owner = await waitFor(
      async () =>
        (await nodeStatus(created.body.id, 'wait')) === 'running'
          ? (await runRow(created.body.id)).lease_owner
          : undefined,
      10_000,
    );
    expect(owner).toContain(`:${worker.process.pid}:`);

    const stream = readEventStream(`${api.base}/v1/runs/${created.body.id}/events`, { 'X-API-Key': ADMIN_KEY });
    const started = Date.now();
    const stopped = await call(api.base, 'POST', `/v1/runs/${created.body.id}/stop`);
    expect(stopped.status).toBe(200);
    expect(stopped.body.status).toBe('stopped');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await nodeStatus(created.body.id, 'wait')).toBe('stopped');
    const events = (await stream).events.map((e) => e.event);
    expect(events).toContain('node.started');
    expect(events.at(-1)).toBe('run.stopped');
  }, 30_000);

  it('revoking a key or saving a workflow on one instance takes effect at once on the other', async () => {
    const one = await start();
    const two = await start();
    const key = await call(one.base, 'POST', '/v1/api-keys', {
      name: 'k',
      role: 'admin',
      group_ids: [(await call(one.base, 'GET', '/v1/groups')).body.items[0].id],
    });
    const workflow = (await call(one.base, 'POST', '/v1/workflows', { name: 'seed', definition: SEED_DEFINITION }))
      .body;
    const runOnTwo = () =>
      call(
        two.base,
        'POST',
        `/v1/workflows/${workflow.id}/runs/sync?output_only=true`,
        { input: { 'User Question': 'q' } },
        key.body.key,
      );
    expect((await runOnTwo()).body).toEqual({ Answer: 'q — ' }); // now cached on `two`

    const changed = structuredClone(SEED_DEFINITION);
    changed.nodes[2].config = { template: 'new ((q))((c))' } as never;
    expect((await call(one.base, 'PATCH', `/v1/workflows/${workflow.id}`, { definition: changed })).status).toBe(200);
    // Far sooner than the caches' 60 s expiry: the change notice reached `two`.
    const answer = await waitFor(async () => {
      const { body } = await runOnTwo();
      return body.Answer === 'new q' ? body : undefined;
    }, NOTICE_MS);
    expect(answer).toEqual({ Answer: 'new q' });

    expect((await call(one.base, 'DELETE', `/v1/api-keys/${key.body.id}`)).status).toBe(204);
    await waitFor(async () => ((await runOnTwo()).status === 401 ? true : undefined), NOTICE_MS);
  }, 30_000);

  it('kill -9 mid-run: the restarted instance resumes it, without re-running the completed node', async () => {
    const first = await start();
    const workflow = (
      await call(first.base, 'POST', '/v1/workflows', { name: 'crash', definition: slowWorkflow(3000) })
    ).body;
    const created = await call(first.base, 'POST', `/v1/workflows/${workflow.id}/runs`, { input: { n: 41 } });
    await waitFor(
      async () =>
        ((await nodeStatus(created.body.id, 'first')) === 'completed' &&
          (await nodeStatus(created.body.id, 'wait')) === 'running') ||
        undefined,
      10_000,
    );
    first.process.kill('SIGKILL');
    await first.exited;

    await start();
    const upAt = Date.now();
    await waitFor(async () => ((await runRow(created.body.id)).attempt === 2 ? true : undefined), 15_000);
    expect(Date.now() - upAt).toBeLessThan(15_000);
    const done = await waitFor(async () => {
      const run = await runRow(created.body.id);
      return ['completed', 'failed', 'stopped'].includes(run.status) ? run : undefined;
    }, 10_000);
    expect(done).toMatchObject({ status: 'completed', output: { result: 42 }, attempt: 2 });
    const firstStarts = await suite.db.query(
      `SELECT count(*)::int AS n FROM run_events WHERE run_id = $1 AND type = 'node.started' AND data->>'node_id' = 'first'`,
      [created.body.id],
    );
    expect(firstStarts.rows[0].n).toBe(1);
    const nodes = await suite.db.query('SELECT node_id, attempt, status FROM node_runs WHERE run_id = $1', [
      created.body.id,
    ]);
    const byId = Object.fromEntries(nodes.rows.map((row) => [row.node_id, row]));
    expect(byId.first).toMatchObject({ attempt: 1, status: 'completed' });
    expect(byId.wait).toMatchObject({ attempt: 2, status: 'completed' });
  }, 40_000);

  it('SIGTERM lets a short run finish and hands a long one back, which another instance completes', async () => {
    const first = await start();
    const workflowShort = (
      await call(first.base, 'POST', '/v1/workflows', { name: 'short', definition: slowWorkflow(1500) })
    ).body;
    const workflowLong = (
      await call(first.base, 'POST', '/v1/workflows', { name: 'long', definition: slowWorkflow(20_000) })
    ).body;
    const short = await call(first.base, 'POST', `/v1/workflows/${workflowShort.id}/runs`, { input: { n: 1 } });
    const long = await call(first.base, 'POST', `/v1/workflows/${workflowLong.id}/runs`, { input: { n: 2 } });
    await waitFor(
      async () =>
        ((await nodeStatus(short.body.id, 'wait')) === 'running' &&
          (await nodeStatus(long.body.id, 'wait')) === 'running') ||
        undefined,
      10_000,
    );
    first.process.kill('SIGTERM');
    // Nest re-raises the signal once shut down: a clean exit "by SIGTERM".
    expect([0, 143, 'SIGTERM']).toContain(await first.exited);
    expect((await runRow(short.body.id)).status).toBe('completed');
    const handedBack = await runRow(long.body.id);
    expect(handedBack.status).toBe('running');
    expect(handedBack.lease_owner).toBeNull();

    await start();
    const done = await waitFor(async () => {
      const run = await runRow(long.body.id);
      return run.status === 'completed' ? run : undefined;
    }, 30_000);
    expect(done.output).toEqual({ result: 3 });
  }, 60_000);
});
