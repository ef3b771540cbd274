import { describe, expect, it } from '@jest/globals';
import { isFinishedStatus } from '../src/common/run-status.js';
import { call } from './support/api-call.js';
import { useServerProcesses } from './support/server-processes.js';
import { waitFor } from './support/wait.js';
import { edge } from './support/workflows.js';

/** item → wait `ms` → item × 10. */
const slowTimesTen = (ms: number) => ({
  nodes: [
    { id: 'item', type: 'InputNode', config: { label: 'item', type: 'int' } },
    { id: 'wait', type: 'DelayNode', config: { ms } },
    { id: 'times', type: 'TransformNode', config: { expression: '$ * 10' } },
    { id: 'out', type: 'OutputNode', config: { label: 'value' } },
  ],
  edges: [edge('item.value', 'wait.value'), edge('wait.value', 'times.data'), edge('times.result', 'out.value')],
});

describe('crash-resume of child runs and retries', () => {
  const suite = useServerProcesses();
  const { start } = suite;
  const runRow = async (runId: string) => (await suite.db.query('SELECT * FROM runs WHERE id = $1', [runId])).rows[0];
  const finished = (runId: string, timeoutMs: number) =>
    waitFor(async () => {
      const run = await runRow(runId);
      return isFinishedStatus(run.status) ? run : undefined;
    }, timeoutMs);

  it('kill -9 inside a map: the resumed map reuses completed items and resumes in-flight children', async () => {
    const first = await start();
    const child = (await call(first.base, 'POST', '/v1/workflows', { name: 'item', definition: slowTimesTen(700) }))
      .body;
    const map = (
      await call(first.base, 'POST', '/v1/workflows', {
        name: 'map',
        definition: {
          nodes: [
            { id: 'items', type: 'InputNode', config: { label: 'items', type: 'list' } },
            { id: 'each', type: 'MapNode', config: { workflow_id: child.id, concurrency: 2 } },
            { id: 'out', type: 'OutputNode', config: { label: 'results' } },
          ],
          edges: [edge('items.value', 'each.items'), edge('each.results', 'out.value')],
        },
      })
    ).body;
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    const created = await call(first.base, 'POST', `/v1/workflows/${map.id}/runs`, { input: { items } });
    expect(created.status).toBe(202);
    const childrenOf = async () =>
      (
        await suite.db.query(
          'SELECT id, status, attempt, parent_item_index, finished_at FROM runs WHERE parent_run_id = $1 ORDER BY parent_item_index',
          [created.body.id],
        )
      ).rows;
    await waitFor(async () => {
      const children = await childrenOf();
      const done = children.filter((row) => row.status === 'completed').length;
      return done >= 3 && children.some((row) => row.status === 'running') ? true : undefined;
    }, 20_000);
    first.process.kill('SIGKILL');
    await first.exited;
    const beforeCrash = await childrenOf();
    const completedBefore = beforeCrash.filter((row) => row.status === 'completed');
    const inFlight = beforeCrash.filter((row) => row.status === 'running');

    await start();
    const run = await finished(created.body.id, 40_000);
    expect(run).toMatchObject({ status: 'completed', output: { results: items.map((n) => ({ value: n * 10 })) } });
    const after = await childrenOf();
    // One child per item: nothing started twice.
    expect(after.map((row) => row.parent_item_index)).toEqual(items.map((_, index) => index));
    expect(after.every((row) => row.status === 'completed')).toBe(true);
    for (const done of completedBefore) {
      expect(after.find((row) => row.id === done.id)).toMatchObject({ attempt: 1, finished_at: done.finished_at });
    }
    for (const resumed of inFlight) expect(after.find((row) => row.id === resumed.id)!.attempt).toBe(2);
  }, 60_000);

  it('kill -9 while a node waits to retry: the resumed run goes on from the attempts already made', async () => {
    const first = await start();
    const workflow = (
      await call(first.base, 'POST', '/v1/workflows', {
        name: 'retry',
        definition: {
          nodes: [
            {
              id: 'flaky',
              type: 'FailNode',
              config: { message: 'still down' },
              retry: { max_attempts: 2, initial_interval_ms: 3000 },
            },
          ],
          edges: [],
        },
      })
    ).body;
    const created = await call(first.base, 'POST', `/v1/workflows/${workflow.id}/runs`, { input: {} });
    await waitFor(async () => {
      const rows = await suite.db.query(`SELECT 1 FROM run_events WHERE run_id = $1 AND type = 'node.retrying'`, [
        created.body.id,
      ]);
      return rows.rowCount ? true : undefined;
    }, 10_000);
    first.process.kill('SIGKILL');
    await first.exited;

    await start();
    const run = await finished(created.body.id, 30_000);
    expect(run).toMatchObject({ status: 'failed', attempt: 2, error: { node_id: 'flaky', message: 'still down' } });
    const node = (await suite.db.query(`SELECT attempts FROM node_runs WHERE run_id = $1`, [created.body.id])).rows[0];
    expect(node.attempts.map((attempt: { attempt: number }) => attempt.attempt)).toEqual([1, 2]);
    const retrying = await suite.db.query(
      `SELECT count(*)::int AS n FROM run_events WHERE run_id = $1 AND type = 'node.retrying'`,
      [created.body.id],
    );
    expect(retrying.rows[0].n).toBe(1);
  }, 45_000);

  it('a parent stopped after its instance died stops its child runs too', async () => {
    const first = await start();
    const child = (await call(first.base, 'POST', '/v1/workflows', { name: 'slow', definition: slowTimesTen(60_000) }))
      .body;
    const parent = (
      await call(first.base, 'POST', '/v1/workflows', {
        name: 'parent',
        definition: {
          nodes: [
            { id: 'n', type: 'InputNode', config: { label: 'n', type: 'int' } },
            { id: 'call', type: 'WorkflowNode', config: { workflow_id: child.id, inputs: ['item'] } },
          ],
          edges: [edge('n.value', 'call.item')],
        },
      })
    ).body;
    const created = await call(first.base, 'POST', `/v1/workflows/${parent.id}/runs`, { input: { n: 1 } });
    const childId = await waitFor(async () => {
      const rows = await suite.db.query(`SELECT id FROM runs WHERE parent_run_id = $1 AND status = 'running'`, [
        created.body.id,
      ]);
      return rows.rows[0]?.id as string | undefined;
    }, 10_000);
    first.process.kill('SIGKILL');
    await first.exited;

    const second = await start();
    const stop = await call(second.base, 'POST', `/v1/runs/${created.body.id}/stop`);
    expect([200, 202]).toContain(stop.status);
    expect((await finished(created.body.id, 20_000)).status).toBe('stopped');
    expect((await finished(childId, 20_000)).status).toBe('stopped');
  }, 45_000);
});
