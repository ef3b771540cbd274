import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newGroupWithKey } from './support/groups.js';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { createWorkflow, delayWorkflow } from './support/workflows.js';

const single = (node: { type: string; config: Record<string, unknown> }) => ({
  nodes: [
    { id: 'in', type: 'InputNode', config: { label: 'in', type: 'any' } },
    { id: 'work', ...node },
    { id: 'out', type: 'OutputNode', config: { label: 'out' } },
  ],
  edges: [
    {
      from: { node_id: 'in', output: 'value' },
      to: { node_id: 'work', input: node.type === 'CodeNode' ? 'x' : 'data' },
    },
    { from: { node_id: 'work', output: 'result' }, to: { node_id: 'out', input: 'value' } },
  ],
});

const CATASTROPHIC_REGEX = single({
  type: 'TransformNode',
  config: { expression: '$match($, /^(a+)+$/)', timeout_ms: 1000 },
});
const LOOPING_CODE = single({ type: 'CodeNode', config: { code: 'while (true) {}', inputs: ['x'], timeout_ms: 500 } });
const TRIVIAL_CODE = single({ type: 'CodeNode', config: { code: 'return x + 1;', inputs: ['x'] } });
const TRIVIAL_TRANSFORM = single({ type: 'TransformNode', config: { expression: '$ * 2' } });

function doublingChain(length: number) {
  const nodes: Record<string, unknown>[] = [{ id: 't0', type: 'InputNode', config: { label: 'seed', type: 'str' } }];
  const edges: Record<string, unknown>[] = [];
  for (let index = 1; index <= length; index++) {
    nodes.push({ id: `t${index}`, type: 'TextTemplateNode', config: { template: '((a))((b))' } });
    const from = { node_id: `t${index - 1}`, output: index === 1 ? 'value' : 'text' };
    edges.push({ from, to: { node_id: `t${index}`, input: 'a' } }, { from, to: { node_id: `t${index}`, input: 'b' } });
  }
  return { nodes, edges };
}

const percentile = (values: number[], share: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * share))];
const median = (values: number[]) => percentile(values, 0.5);

describe('one group cannot hurt another', () => {
  let t: TestApp;
  let keyB: string;
  const aWorkflows: Record<string, string> = {};
  const bWorkflows: Record<string, string> = {};

  beforeAll(async () => {
    // Four workers, one per group: what the defaults give on a machine with two cores.
    t = await createTestApp({ SANDBOX_WORKERS: '4', SANDBOX_WORKERS_PER_GROUP: '1', QUEUE_SLOTS_PER_GROUP: '2' });
    keyB = (await newGroupWithKey(t.http, 'group B')).key;
    aWorkflows.regex = (await createWorkflow(t.http, CATASTROPHIC_REGEX)).id;
    aWorkflows.loop = (await createWorkflow(t.http, LOOPING_CODE)).id;
    aWorkflows.doubling = (await createWorkflow(t.http, doublingChain(27))).id;
    bWorkflows.code = (await createWorkflow(t.http, TRIVIAL_CODE, { key: keyB })).id;
    bWorkflows.transform = (await createWorkflow(t.http, TRIVIAL_TRANSFORM, { key: keyB })).id;
  });
  afterAll(() => t.close());

  const syncAs = (key: string, workflowId: string, input: unknown) =>
    t.http
      .post(`/v1/workflows/${workflowId}/runs/sync`)
      .set('X-API-Key', key)
      .send({ input: { in: input } });
  const timedB = async () => {
    const started = performance.now();
    const [code, transform] = await Promise.all([
      syncAs(keyB, bWorkflows.code, 1),
      syncAs(keyB, bWorkflows.transform, 21),
    ]);
    expect(code.body).toMatchObject({ status: 'completed', output: { out: 2 } });
    expect(transform.body).toMatchObject({ status: 'completed', output: { out: 42 } });
    return performance.now() - started;
  };

  it("keeps group B's sync runs and /health/live fast while group A burns its limits", async () => {
    const before: number[] = [];
    for (let round = 0; round < 5; round++) before.push(await timedB());

    const attack = Promise.all([
      syncAs(ADMIN_KEY, aWorkflows.regex, `${'a'.repeat(34)}!`),
      syncAs(ADMIN_KEY, aWorkflows.regex, `${'a'.repeat(35)}!`),
      ...Array.from({ length: 6 }, () => syncAs(ADMIN_KEY, aWorkflows.loop, 0)),
      t.http
        .post(`/v1/workflows/${aWorkflows.doubling}/runs/sync`)
        .set('X-API-Key', ADMIN_KEY)
        .send({ input: { seed: 'x'.repeat(1024) } }),
    ]);
    let attacking = true;
    void attack.finally(() => (attacking = false));

    const health: number[] = [];
    const probeHealth = (async () => {
      while (attacking) {
        const started = performance.now();
        expect((await t.http.get('/health/live')).status).toBe(200);
        health.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 300)); // every attacker holds its workers by now
    const during: number[] = [];
    while (attacking && during.length < 8) during.push(await timedB());
    const [regex1, regex2, ...rest] = await attack;
    await probeHealth;

    const loops = rest.slice(0, 6);
    const doubling = rest[6];
    for (const regex of [regex1, regex2]) {
      expect(regex.status).toBe(200);
      expect(regex.body).toMatchObject({ status: 'failed', error: { node_id: 'work', type: 'expression_timeout' } });
    }
    for (const loop of loops) {
      expect(loop.body).toMatchObject({ status: 'failed', error: { node_id: 'work', type: 'code_timeout' } });
    }
    expect(doubling.status).toBe(200);
    expect(doubling.body).toMatchObject({ status: 'failed', error: { type: 'value_too_large' } });
    expect(doubling.body.error.message).toContain('MAX_VALUE_BYTES');
    const stored = await t.http.get(`/v1/runs/${doubling.body.id}`).set('X-API-Key', ADMIN_KEY);
    expect(stored.body).toMatchObject({ status: 'failed' });

    const report = {
      bBeforeMedianMs: Math.round(median(before)),
      bDuringMedianMs: Math.round(median(during)),
      bDuringMaxMs: Math.round(Math.max(...during)),
      healthProbes: health.length,
      healthMedianMs: Math.round(median(health)),
      healthP95Ms: Math.round(percentile(health, 0.95)),
      healthMaxMs: Math.round(Math.max(...health)),
    };
    // eslint-disable-next-line no-console -- the figures go into the report of the isolation work
    console.log('hostile tenant', report);
    expect(during.length).toBeGreaterThanOrEqual(3);
    // Before the sandbox was shared fairly, B's trivial CodeNode waited 3.9 s behind A's loops.
    expect(report.bDuringMaxMs).toBeLessThan(1000);
    // Before expressions left the event loop, /health/live was blocked for seconds. A probe now and
    // then loses a scheduler slice on a loaded two-core machine (1.3 s once, in CI beside other
    // suites), hence the bound on the 95th percentile and the wider one on the maximum.
    expect(report.healthP95Ms).toBeLessThan(100);
    expect(report.healthMaxMs).toBeLessThan(2000);
  }, 45_000);

  it("runs group B's queued run while group A's slow runs wait for their share of the queue slots", async () => {
    const slow = await createWorkflow(t.http, delayWorkflow(3000));
    const quick = await createWorkflow(t.http, delayWorkflow(1), { key: keyB });
    const start = (key: string, workflowId: string) =>
      t.http.post(`/v1/workflows/${workflowId}/runs`).set('X-API-Key', key).send({ input: {} });
    const aRuns = await Promise.all(Array.from({ length: 20 }, () => start(ADMIN_KEY, slow.id)));
    const started = performance.now();
    const bRun = (await start(keyB, quick.id)).body.id as string;
    let maxRunningA = 0;
    for (;;) {
      const running = await t.http.get(`/v1/workflows/${slow.id}/runs?status=running`).set('X-API-Key', ADMIN_KEY);
      maxRunningA = Math.max(maxRunningA, running.body.total);
      const b = await t.http.get(`/v1/runs/${bRun}`).set('X-API-Key', keyB);
      if (b.body.status === 'completed') break;
      // Without a per-group share, A's runs would hold all 16 slots for 3 s.
      expect(performance.now() - started).toBeLessThan(1500);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(maxRunningA).toBeLessThanOrEqual(2);
    const a = await t.http.get(`/v1/runs/${aRuns[19].body.id}`).set('X-API-Key', ADMIN_KEY);
    expect(a.body.status).not.toBe('completed');
    for (const run of aRuns) await t.http.post(`/v1/runs/${run.body.id}/stop`).set('X-API-Key', ADMIN_KEY);
  }, 30_000);

  it("keeps group B's sync runs fast while group A fans out through nested maps, and stops A's tree for good", async () => {
    // The attack as first tried: maps nested five deep, each item turned into 10,000 more.
    const explode = { type: 'TransformNode', config: { expression: '[1..$]' } };
    const level = (workflowId: string | null) => ({
      nodes: [
        { id: 'in', type: 'InputNode', config: { label: 'item', type: 'any' } },
        { id: 'explode', ...explode },
        ...(workflowId
          ? [{ id: 'each', type: 'MapNode', config: { workflow_id: workflowId, concurrency: 32, max_items: 10_000 } }]
          : []),
        { id: 'out', type: 'OutputNode', config: { label: 'out' } },
      ],
      edges: [
        { from: { node_id: 'in', output: 'value' }, to: { node_id: 'explode', input: 'data' } },
        ...(workflowId
          ? [
              { from: { node_id: 'explode', output: 'result' }, to: { node_id: 'each', input: 'items' } },
              { from: { node_id: 'each', output: 'results' }, to: { node_id: 'out', input: 'value' } },
            ]
          : [{ from: { node_id: 'explode', output: 'result' }, to: { node_id: 'out', input: 'value' } }]),
      ],
    });
    const bottom = await createWorkflow(t.http, level(null));
    const second = await createWorkflow(t.http, level(bottom.id));
    const refused = await t.http
      .post('/v1/workflows')
      .set('X-API-Key', ADMIN_KEY)
      .send({ name: 'five deep', definition: level(second.id) });
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0]).toMatchObject({ field: 'definition.nodes[2].config.max_items' });

    // What may be saved: 99 × (1 + 100) = 9,999 runs, just under MAX_DESCENDANT_RUNS.
    const inner = await createWorkflow(t.http, {
      ...level(bottom.id),
      nodes: level(bottom.id).nodes.map((node) =>
        node.id === 'each' ? { ...node, config: { ...node.config, max_items: 100 } } : node,
      ),
    });
    const outer = await createWorkflow(t.http, {
      ...level(inner.id),
      nodes: level(inner.id).nodes.map((node) =>
        node.id === 'each' ? { ...node, config: { ...node.config, max_items: 99 } } : node,
      ),
    });

    await timedB(); // warm: the first runs of B's workflows read their definitions
    const before: number[] = [];
    for (let round = 0; round < 10; round++) before.push(await timedB());
    const root = await t.http
      .post(`/v1/workflows/${outer.id}/runs`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ input: { item: 99 } });
    expect(root.status).toBe(202);
    // Inner items get 1..99 as their own count: the tree grows towards the limit.
    const children = () =>
      t.http
        .get(`/v1/workflows/${inner.id}/runs?parent_run_id=${root.body.id}&page_size=1`)
        .set('X-API-Key', ADMIN_KEY)
        .then((page) => page.body.total as number);
    while ((await children()) < 10) await new Promise((resolve) => setTimeout(resolve, 50));
    const during: number[] = [];
    // 40, so that the 95th percentile is not the slowest of them (of 20 it was).
    for (let round = 0; round < 40; round++) during.push(await timedB());
    const childrenAtStop = await children();
    const stop = await t.http.post(`/v1/runs/${root.body.id}/stop`).set('X-API-Key', ADMIN_KEY);
    const rootRun = await t.http.get(`/v1/runs/${root.body.id}`).set('X-API-Key', ADMIN_KEY);
    expect(rootRun.body).toMatchObject({ status: 'stopped', error: null });
    expect(stop.body).toMatchObject({ status: 'stopped' });
    const report = {
      bBeforeP50Ms: Math.round(median(before)),
      bBeforeP95Ms: Math.round(percentile(before, 0.95)),
      bDuringP50Ms: Math.round(median(during)),
      bDuringP95Ms: Math.round(percentile(during, 0.95)),
      aChildrenAtStop: childrenAtStop,
    };
    // eslint-disable-next-line no-console -- the figures go into the report of the governance work
    console.log('fan-out', report);
    expect(report.aChildrenAtStop).toBeGreaterThan(10);
    // Before child runs took their group's slots, B's p50 went from 6 ms to 1.5 s (p99 12.4 s). A's
    // two slots still take CPU from B on two cores: 3x at the median, up to 8x at the 95th percentile.
    expect(report.bDuringP50Ms).toBeLessThan(Math.max(5 * report.bBeforeP50Ms, 100));
    expect(report.bDuringP95Ms).toBeLessThan(Math.max(10 * report.bBeforeP95Ms, 300));
  }, 90_000);
});
