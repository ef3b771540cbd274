import { describe, expect, it } from '@jest/globals';
import { call } from './support/api-call.js';
import { useServerProcesses } from './support/server-processes.js';
import { sleep, waitFor } from './support/wait.js';
import { edge } from './support/workflows.js';

const leaf = {
  nodes: [
    { id: 'item', type: 'InputNode', config: { label: 'item', type: 'any' } },
    { id: 'wait', type: 'DelayNode', config: { ms: 400 } },
    { id: 'out', type: 'OutputNode', config: { label: 'value' } },
  ],
  edges: [edge('item.value', 'wait.value'), edge('wait.value', 'out.value')],
};
const mapOver = (workflowId: string, maxItems: number) => ({
  nodes: [
    { id: 'item', type: 'InputNode', config: { label: 'item', type: 'list' } },
    { id: 'each', type: 'MapNode', config: { workflow_id: workflowId, concurrency: 8, max_items: maxItems } },
    { id: 'out', type: 'OutputNode', config: { label: 'results' } },
  ],
  edges: [edge('item.value', 'each.items'), edge('each.results', 'out.value')],
});
const lists = (outer: number, inner: number) => Array.from({ length: outer }, () => Array(inner).fill(1));

/** Two levels of maps (up to 12 × 21 runs) executing on a worker instance. */
describe('a stop reaches a run tree executing on another instance, and survives a restart', () => {
  const suite = useServerProcesses();
  const tree = async (rootId: string) =>
    (
      await suite.db.query<{ id: string; status: string; created_at: Date }>(
        'SELECT id, status, created_at FROM runs WHERE root_run_id = $1 OR id = $1',
        [rootId],
      )
    ).rows;
  const liveIn = async (rootId: string) =>
    (await tree(rootId)).filter((row) => ['queued', 'running'].includes(row.status)).length;

  async function startTree(api: string) {
    const item = (await call(api, 'POST', '/v1/workflows', { name: 'leaf', definition: leaf })).body;
    const inner = (await call(api, 'POST', '/v1/workflows', { name: 'inner', definition: mapOver(item.id, 20) })).body;
    const top = (await call(api, 'POST', '/v1/workflows', { name: 'top', definition: mapOver(inner.id, 12) })).body;
    const created = await call(api, 'POST', `/v1/workflows/${top.id}/runs`, { input: { item: lists(12, 20) } });
    expect(created.status).toBe(202);
    const rootId = created.body.id as string;
    await waitFor(async () => ((await tree(rootId)).length > 15 ? true : undefined), 20_000);
    return rootId;
  }

  it('stopped through an API-only instance, the tree executing on the worker stops within seconds', async () => {
    await suite.start({ ROLE: 'worker', QUEUE_SLOTS_PER_GROUP: '4' });
    const api = await suite.start({ ROLE: 'api' });
    const rootId = await startTree(api.base);

    const stopped = await call(api.base, 'POST', `/v1/runs/${rootId}/stop`);
    const answeredAt = new Date();
    expect(stopped.status).toBe(200);
    expect(stopped.body.status).toBe('stopped');
    await waitFor(async () => ((await liveIn(rootId)) === 0 ? true : undefined), 5_000);
    const after = await tree(rootId);
    expect(after.filter((row) => row.created_at > answeredAt)).toEqual([]);
    await sleep(2_000);
    expect((await tree(rootId)).length).toBe(after.length);
  }, 60_000);

  it('stopped while its instance is dead, the tree is not resumed by the next instance', async () => {
    const worker = await suite.start({ ROLE: 'all', QUEUE_SLOTS_PER_GROUP: '4' });
    const rootId = await startTree(worker.base);
    worker.process.kill('SIGKILL');
    await worker.exited;
    const beforeStop = await tree(rootId);

    const api = await suite.start({ ROLE: 'api' });
    // Its holder is dead but its lease has not expired: the stop is recorded and the answer says so.
    const stopped = await call(api.base, 'POST', `/v1/runs/${rootId}/stop`);
    expect([200, 202]).toContain(stopped.status);
    const stopAt = new Date();

    await suite.start({ ROLE: 'all' });
    // Leases expire after 10 s; the new instance's reaper then ends each run instead of resuming it.
    await waitFor(async () => ((await liveIn(rootId)) === 0 ? true : undefined), 25_000);
    const after = await tree(rootId);
    expect(after.length).toBe(beforeStop.length);
    expect(after.filter((row) => row.status === 'running' || row.status === 'queued')).toEqual([]);
    const resumed = await suite.db.query(
      `SELECT count(*)::int AS n FROM node_runs n JOIN runs r ON r.id = n.run_id
       WHERE (r.root_run_id = $1 OR r.id = $1) AND n.started_at > $2`,
      [rootId, stopAt],
    );
    expect(resumed.rows[0].n).toBe(0);
  }, 60_000);
});
