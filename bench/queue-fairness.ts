/**
 * Fairness between groups: how long group B's trivial runs take while group A loads the server.
 * 1. A queues 3,000 async runs of a 200 ms DelayNode (16 connections); B's async runs, one at a
 *    time, create → finish as the server stored them, before the flood and while it is queued.
 *    A's runs left afterwards are stopped.
 * 2. A starts async runs of nested MapNodes (a map of maps of a trivial sub-workflow: child runs
 *    executed in the instance that runs their parent, not queued); B's sync runs, one at a time,
 *    before and during a fixed window, after which A's runs are stopped.
 */
import autocannon from 'autocannon';
import pg from 'pg';
import { delayWorkflow } from '../test/support/definitions.js';
import { CHILD as LEAF } from './map-run.js';

export interface Latencies {
  p50Ms: number;
  p95Ms: number;
  count: number;
}

export interface FairnessFigures {
  flood: number;
  /** A's runs still queued when B's measurement began. */
  floodQueued: number;
  asyncBefore: Latencies;
  asyncDuringFlood: Latencies;
  /** A's leaf child runs completed during the fan-out window, of fanOutLeaves. */
  fanOutChildren: number;
  fanOutLeaves: number;
  fanOutSeconds: number;
  syncBefore: Latencies;
  syncDuringFanOut: Latencies;
}

const FLOOD = 3000;
const PROBES = 40;
const FAN_OUT_SECONDS = 10;
/**
 * A's runs × outer items × inner items: more child runs than the window lets A finish (about 600
 * trivial ones a second here), so A fans out for the whole window; what is left is stopped.
 */
const FAN_OUT_RUNS = 4;
const OUTER_ITEMS = 50;
const INNER_ITEMS = 40;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function latencies(values: number[]): Latencies {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (share: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))];
  return { p50Ms: at(0.5), p95Ms: at(0.95), count: sorted.length };
}

/** A map of up to `maxItems` items: nested maps must declare it, or saving them exceeds MAX_DESCENDANT_RUNS. */
const mapOf = (childId: string, maxItems: number) => ({
  nodes: [
    { id: 'item', type: 'InputNode', config: { label: 'item', type: 'list' } },
    { id: 'each', type: 'MapNode', config: { workflow_id: childId, concurrency: 8, max_items: maxItems } },
    { id: 'out', type: 'OutputNode', config: { label: 'results' } },
  ],
  edges: [
    { from: { node_id: 'item', output: 'value' }, to: { node_id: 'each', input: 'items' } },
    { from: { node_id: 'each', output: 'results' }, to: { node_id: 'out', input: 'value' } },
  ],
});

export async function benchQueueFairness(options: {
  base: string;
  adminKey: string;
  databaseUrl: string;
}): Promise<FairnessFigures> {
  const { base, adminKey, databaseUrl } = options;
  async function call<T>(key: string, method: string, route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${base}${route}`, {
      method,
      headers: { 'X-API-Key': key, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }
  const workflow = async (key: string, name: string, definition: unknown) =>
    (await call<{ id: string }>(key, 'POST', '/v1/workflows', { name, definition })).id;

  const group = await call<{ id: string }>(adminKey, 'POST', '/v1/groups', { name: 'bench group B' });
  const keyB = (
    await call<{ key: string }>(adminKey, 'POST', '/v1/api-keys', { name: 'B', role: 'member', group_ids: [group.id] })
  ).key;
  const slowA = await workflow(adminKey, 'bench flood A', delayWorkflow(200));
  const quickB = await workflow(keyB, 'bench quick B', delayWorkflow(0));

  /** B's async run, queued and polled to its end: create → finish as stored. */
  async function asyncB(): Promise<number> {
    const created = await call<{ id: string }>(keyB, 'POST', `/v1/workflows/${quickB}/runs`, { input: {} });
    for (;;) {
      const run = await call<{ status: string; created_at: string; finished_at: string | null }>(
        keyB,
        'GET',
        `/v1/runs/${created.id}`,
      );
      if (run.finished_at) return Date.parse(run.finished_at) - Date.parse(run.created_at);
      await sleep(5);
    }
  }
  async function syncB(): Promise<number> {
    const started = performance.now();
    await call(keyB, 'POST', `/v1/workflows/${quickB}/runs/sync`, { input: {} });
    return performance.now() - started;
  }
  const probe = async (measure: () => Promise<number>, until: () => boolean) => {
    const values: number[] = [];
    while (until() && values.length < 1000) values.push(await measure());
    return latencies(values);
  };
  const count = (n: number) => {
    let left = n;
    return () => left-- > 0;
  };

  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const unfinished = async (workflowIds: string[]) =>
    (
      await db.query<{ id: string }>(
        `SELECT id FROM runs WHERE workflow_id = ANY($1::uuid[]) AND status IN ('queued', 'running')`,
        [workflowIds],
      )
    ).rows.map((row) => row.id);
  async function stopAll(workflowIds: string[]): Promise<void> {
    const ids = await unfinished(workflowIds);
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let id = ids.pop(); id; id = ids.pop()) {
          await call(adminKey, 'POST', `/v1/runs/${id}/stop`).catch(() => undefined); // it may have finished meanwhile
        }
      }),
    );
    while ((await unfinished(workflowIds)).length > 0) await sleep(200);
  }

  try {
    const asyncBefore = await probe(asyncB, count(PROBES));
    await autocannon({
      url: `${base}/v1/workflows/${slowA}/runs`,
      method: 'POST',
      connections: 16,
      amount: FLOOD,
      headers: { 'X-API-Key': adminKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ input: {} }),
    });
    const floodQueued = (
      await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM runs WHERE workflow_id = $1 AND status = 'queued'`,
        [slowA],
      )
    ).rows[0].n;
    const asyncDuringFlood = await probe(asyncB, count(PROBES));
    await stopAll([slowA]);

    const leaf = await workflow(adminKey, 'bench fan-out leaf', LEAF);
    const inner = await workflow(adminKey, 'bench fan-out inner map', mapOf(leaf, INNER_ITEMS));
    const outer = await workflow(adminKey, 'bench fan-out outer map', mapOf(inner, OUTER_ITEMS));
    const syncBefore = await probe(syncB, count(PROBES));
    const items = Array.from({ length: OUTER_ITEMS }, () => Array.from({ length: INNER_ITEMS }, (_, i) => i));
    for (let run = 0; run < FAN_OUT_RUNS; run++) {
      await call(adminKey, 'POST', `/v1/workflows/${outer}/runs`, { input: { item: items } });
    }
    const windowEnds = performance.now() + FAN_OUT_SECONDS * 1000;
    const syncDuringFanOut = await probe(syncB, () => performance.now() < windowEnds);
    // Stopping the roots stops their trees.
    await stopAll([outer]);
    const fanOutChildren = (
      await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM runs WHERE workflow_id = $1 AND status = 'completed'`,
        [leaf],
      )
    ).rows[0].n;
    return {
      flood: FLOOD,
      floodQueued,
      asyncBefore,
      asyncDuringFlood,
      fanOutChildren,
      fanOutLeaves: FAN_OUT_RUNS * OUTER_ITEMS * INNER_ITEMS,
      fanOutSeconds: FAN_OUT_SECONDS,
      syncBefore,
      syncDuringFanOut,
    };
  } finally {
    await db.end();
  }
}
