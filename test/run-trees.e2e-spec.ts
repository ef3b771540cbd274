import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { newGroupWithKey } from './support/groups.js';
import { ADMIN_KEY, createTestApp, type TestApp } from './support/test-app.js';
import { sleep, waitFor } from './support/wait.js';
import { createWorkflow, edge } from './support/workflows.js';

const DESCENDANT_LIMIT = 300;
const SLOTS = 3;

/** item → wait `ms` → item; a leaf of the trees below. */
const leaf = (ms: number) => ({
  nodes: [
    { id: 'item', type: 'InputNode', config: { label: 'item', type: 'any' } },
    { id: 'wait', type: 'DelayNode', config: { ms } },
    { id: 'out', type: 'OutputNode', config: { label: 'value' } },
  ],
  edges: [edge('item.value', 'wait.value'), edge('wait.value', 'out.value')],
});

/** item (a list) → MapNode over `workflowId` → results. */
const mapOver = (workflowId: string, config: Record<string, unknown> = {}, extra: Record<string, unknown>[] = []) => ({
  nodes: [
    { id: 'item', type: 'InputNode', config: { label: 'item', type: 'list' } },
    { id: 'each', type: 'MapNode', config: { workflow_id: workflowId, concurrency: 8, ...config } },
    { id: 'out', type: 'OutputNode', config: { label: 'results' } },
    ...extra,
  ],
  edges: [edge('item.value', 'each.items'), edge('each.results', 'out.value')],
});

const lists = (outer: number, inner: number) => Array.from({ length: outer }, () => Array(inner).fill(1));

describe('run trees: bounded fan-out, group slots, stops that reach every descendant', () => {
  let t: TestApp;
  let db: pg.Client;

  beforeAll(async () => {
    t = await createTestApp({ MAX_DESCENDANT_RUNS: String(DESCENDANT_LIMIT), QUEUE_SLOTS_PER_GROUP: String(SLOTS) });
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  const start = async (workflowId: string, input: Record<string, unknown>) => {
    const created = await t.http.post(`/v1/workflows/${workflowId}/runs`).set('X-API-Key', ADMIN_KEY).send({ input });
    expect(created.status).toBe(202);
    return created.body.id as string;
  };
  const tree = async (rootId: string) =>
    (
      await db.query<{ id: string; status: string; created_at: Date; stop_requested_at: Date | null }>(
        'SELECT id, status, created_at, stop_requested_at FROM runs WHERE root_run_id = $1 OR id = $1',
        [rootId],
      )
    ).rows;
  const live = (rows: { status: string }[]) => rows.filter((row) => ['queued', 'running'].includes(row.status));
  const finished = (runId: string) =>
    waitFor(async () => {
      const run = (await t.http.get(`/v1/runs/${runId}`).set('X-API-Key', ADMIN_KEY)).body;
      return ['completed', 'failed', 'stopped'].includes(run.status) ? run : undefined;
    }, 60_000);

  it('refuses to save a workflow whose nested maps could start more child runs than MAX_DESCENDANT_RUNS', async () => {
    const item = await createWorkflow(t.http, leaf(0));
    const inner = await createWorkflow(t.http, mapOver(item.id, { max_items: 20 }));
    // 14 × (1 + 20) = 294 child runs at most: saved.
    await createWorkflow(t.http, mapOver(inner.id, { max_items: 14 }));
    const tooWide = await t.http
      .post('/v1/workflows')
      .set('X-API-Key', ADMIN_KEY)
      .send({ name: 'too wide', definition: mapOver(inner.id, { max_items: 15 }) });
    expect(tooWide.status).toBe(422);
    expect(tooWide.headers['content-type']).toContain('application/problem+json');
    expect(tooWide.body.errors).toEqual([
      {
        field: 'definition.nodes[1].config.max_items',
        message: expect.stringContaining(
          `one run can start up to 315 child runs, more than MAX_DESCENDANT_RUNS (${DESCENDANT_LIMIT}); most through "each" (MapNode, 15 items) → workflow ${inner.id} → "each" (MapNode, 20 items)`,
        ),
      },
    ]);
    // Without max_items a map may take 1,000 items: nesting one is refused too.
    const defaults = await t.http
      .post('/v1/workflows')
      .set('X-API-Key', ADMIN_KEY)
      .send({ name: 'defaults', definition: mapOver(item.id) });
    expect(defaults.status).toBe(422);
    expect(defaults.body.errors[0].message).toContain('up to 1000 child runs');
  });

  it('fails the node with too_many_descendants before creating the run past the limit, and leaves nothing running', async () => {
    const item = await createWorkflow(t.http, leaf(0));
    // The middle workflow starts as a single step, so the top one saves with a bound of 100 ...
    const middle = await createWorkflow(t.http, leaf(0));
    const top = await createWorkflow(t.http, mapOver(middle.id, { max_items: 100 }));
    // ... then becomes a map of 20: each of the top's 100 items now starts 20 more (2,100 in all).
    const changed = await t.http
      .patch(`/v1/workflows/${middle.id}`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ definition: mapOver(item.id, { max_items: 20 }) });
    expect(changed.status).toBe(200);

    const rootId = await start(top.id, { item: lists(100, 20) });
    const run = await finished(rootId);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ node_id: 'each', type: 'too_many_descendants' });
    expect(run.error.message).toContain(`MAX_DESCENDANT_RUNS`);
    await waitFor(async () => (live(await tree(rootId)).length === 0 ? true : undefined), 10_000);
    const rows = await tree(rootId);
    expect(rows.length - 1).toBe(DESCENDANT_LIMIT);
  }, 90_000);

  it("executes a group's child runs within its slots, while the parents wait without holding one", async () => {
    const item = await createWorkflow(t.http, leaf(150));
    const inner = await createWorkflow(t.http, mapOver(item.id, { max_items: 4, concurrency: 4 }));
    const top = await createWorkflow(t.http, mapOver(inner.id, { max_items: 6, concurrency: 6 }));
    const rootId = await start(top.id, { item: lists(6, 4) });
    let mostLeavesAtOnce = 0;
    for (;;) {
      const leaves = await db.query<{ running: number; done: boolean }>(
        `SELECT count(*) FILTER (WHERE status = 'running' AND depth = 2)::int AS running,
                bool_or(id = $1 AND status IN ('completed', 'failed', 'stopped')) AS done
         FROM runs WHERE root_run_id = $1 OR id = $1`,
        [rootId],
      );
      mostLeavesAtOnce = Math.max(mostLeavesAtOnce, leaves.rows[0].running);
      if (leaves.rows[0].done) break;
      await sleep(20);
    }
    const run = await finished(rootId);
    expect(run.status).toBe('completed');
    expect(run.output.results).toHaveLength(6);
    // Up to 6 × 4 leaves could run at once; the group's share on this instance is SLOTS.
    expect(mostLeavesAtOnce).toBeGreaterThan(0);
    expect(mostLeavesAtOnce).toBeLessThanOrEqual(SLOTS);
  }, 60_000);

  it("a group's parents hold no more than its share of the worker's queue jobs, also after giving their slots away", async () => {
    // Each root gives its slot to its one child, then waits 1.5 s after it without a slot.
    const item = await createWorkflow(t.http, leaf(0));
    const thenWait = mapOver(item.id, { max_items: 1 }, [{ id: 'after', type: 'DelayNode', config: { ms: 1500 } }]);
    thenWait.edges = [
      edge('item.value', 'each.items'),
      edge('each.results', 'after.value'),
      edge('after.value', 'out.value'),
    ];
    const top = await createWorkflow(t.http, thenWait);
    const roots = await Promise.all(Array.from({ length: 8 }, () => start(top.id, { item: [1] })));
    let mostRootsRunning = 0;
    for (;;) {
      const states = await db.query<{ running: number; unfinished: number }>(
        `SELECT count(*) FILTER (WHERE status = 'running')::int AS running,
                count(*) FILTER (WHERE status IN ('queued', 'running'))::int AS unfinished
         FROM runs WHERE id = ANY($1::uuid[])`,
        [roots],
      );
      mostRootsRunning = Math.max(mostRootsRunning, states.rows[0].running);
      if (states.rows[0].unfinished === 0) break;
      await sleep(20);
    }
    // Were the queue job given up with the slot, all 8 would hold one of the worker's 16 jobs.
    expect(mostRootsRunning).toBeLessThanOrEqual(SLOTS);
    for (const rootId of roots) expect((await finished(rootId)).status).toBe('completed');
  }, 60_000);

  it('a stop of the root stops the whole tree within seconds, and nothing is created under it afterwards', async () => {
    const item = await createWorkflow(t.http, leaf(300));
    const inner = await createWorkflow(t.http, mapOver(item.id, { max_items: 20 }));
    const top = await createWorkflow(t.http, mapOver(inner.id, { max_items: 14 }));
    const rootId = await start(top.id, { item: lists(14, 20) });
    await waitFor(async () => ((await tree(rootId)).length > 20 ? true : undefined), 20_000);

    const stopped = await t.http.post(`/v1/runs/${rootId}/stop`).set('X-API-Key', ADMIN_KEY);
    const stopAnswered = new Date();
    expect(stopped.status).toBe(200);
    expect(stopped.body.status).toBe('stopped');
    await waitFor(async () => (live(await tree(rootId)).length === 0 ? true : undefined), 5_000);
    const after = await tree(rootId);
    expect(after.every((row) => row.status === 'stopped' || row.status === 'completed')).toBe(true);
    expect(after.filter((row) => row.created_at > stopAnswered)).toEqual([]);
    await sleep(2_500);
    expect((await tree(rootId)).length).toBe(after.length);
  }, 60_000);

  it('a parent that fails stops what runs below it, and a stopped child takes its own children along', async () => {
    const item = await createWorkflow(t.http, leaf(400));
    const inner = await createWorkflow(t.http, mapOver(item.id, { max_items: 20 }));
    const failsLater = mapOver(inner.id, { max_items: 10 }, [
      { id: 'late', type: 'DelayNode', config: { ms: 600 } },
      { id: 'fail', type: 'FailNode', config: { message: 'the parent fails while its tree runs' } },
    ]);
    failsLater.edges.push(edge('item.value', 'late.value'), edge('late.value', 'fail.value'));
    const failing = await createWorkflow(t.http, failsLater);
    const rootId = await start(failing.id, { item: lists(10, 20) });
    const run = await finished(rootId);
    expect(run).toMatchObject({ status: 'failed', error: { node_id: 'fail', type: 'fail_node' } });
    await waitFor(async () => (live(await tree(rootId)).length === 0 ? true : undefined), 5_000);
    expect((await tree(rootId)).length).toBeGreaterThan(1);

    // A child stopped on its own (not its parent) stops its children too.
    const top = await createWorkflow(t.http, mapOver(inner.id, { max_items: 10, concurrency: 2 }));
    const root2 = await start(top.id, { item: lists(2, 20) });
    const child = await waitFor(async () => {
      const rows = await db.query<{ id: string }>(
        `SELECT c.id FROM runs c WHERE c.parent_run_id = $1 AND c.status = 'running'
           AND EXISTS (SELECT 1 FROM runs g WHERE g.parent_run_id = c.id)`,
        [root2],
      );
      return rows.rows[0]?.id;
    }, 20_000);
    const childStop = await t.http.post(`/v1/runs/${child}/stop`).set('X-API-Key', ADMIN_KEY);
    expect(childStop.body).toMatchObject({ status: 'stopped' });
    await waitFor(async () => {
      const below = await db.query(`SELECT 1 FROM runs WHERE parent_run_id = $1 AND status IN ('queued', 'running')`, [
        child,
      ]);
      return below.rowCount === 0 ? true : undefined;
    }, 5_000);
    // The stopped item fails the map (on_item_error: fail), which stops the other item's tree.
    expect(await finished(root2)).toMatchObject({ status: 'failed', error: { type: 'child_run_stopped' } });
    await waitFor(async () => (live(await tree(root2)).length === 0 ? true : undefined), 5_000);
  }, 60_000);

  it('another group cannot stop a run it cannot see, nor anything below it', async () => {
    const other = await newGroupWithKey(t.http, 'other');
    const item = await createWorkflow(t.http, leaf(300));
    const top = await createWorkflow(t.http, mapOver(item.id, { max_items: 10, concurrency: 2 }));
    const rootId = await start(top.id, { item: Array(10).fill(1) });
    await waitFor(async () => ((await tree(rootId)).length > 1 ? true : undefined), 10_000);
    const refused = await t.http.post(`/v1/runs/${rootId}/stop`).set('X-API-Key', other.key);
    expect(refused.status).toBe(404);
    const run = await finished(rootId);
    expect(run.status).toBe('completed');
    expect((await tree(rootId)).filter((row) => row.stop_requested_at !== null)).toEqual([]);
  }, 60_000);
});
