/**
 * A MapNode over `items` items of a trivial sub-workflow (item → TransformNode → output), each item
 * a child run, at concurrency 32: items per second from the map run's start to its finish, as
 * stored on the run (median of 3, after a warm-up map). Run async, so the 120 s sync limit does
 * not cap it.
 */
import pg from 'pg';

export interface MapFigures {
  items: number;
  concurrency: number;
  seconds: number;
  itemsPerSecond: number;
}

/** Measured maps after the warm-up one; the median is reported. */
const ROUNDS = 3;

type Api = <T>(method: string, route: string, body?: unknown) => Promise<T>;

/** item → TransformNode ($ * 2) → output `value`: the cheapest child run. */
export const CHILD = {
  nodes: [
    { id: 'item', type: 'InputNode', config: { label: 'item', type: 'int' } },
    { id: 'double', type: 'TransformNode', config: { expression: '$ * 2' } },
    { id: 'out', type: 'OutputNode', config: { label: 'value' } },
  ],
  edges: [
    { from: { node_id: 'item', output: 'value' }, to: { node_id: 'double', input: 'data' } },
    { from: { node_id: 'double', output: 'result' }, to: { node_id: 'out', input: 'value' } },
  ],
};

const mapOf = (childId: string, concurrency: number) => ({
  nodes: [
    { id: 'items', type: 'InputNode', config: { label: 'items', type: 'list' } },
    { id: 'each', type: 'MapNode', config: { workflow_id: childId, concurrency, max_items: 10_000 } },
    { id: 'out', type: 'OutputNode', config: { label: 'results' } },
  ],
  edges: [
    { from: { node_id: 'items', output: 'value' }, to: { node_id: 'each', input: 'items' } },
    { from: { node_id: 'each', output: 'results' }, to: { node_id: 'out', input: 'value' } },
  ],
});

async function runMap(api: Api, db: pg.Client, workflowId: string, items: number): Promise<number> {
  const input = { items: Array.from({ length: items }, (_, i) => i) };
  const run = await api<{ id: string }>('POST', `/v1/workflows/${workflowId}/runs`, { input });
  for (;;) {
    const row = (
      await db.query(
        `SELECT status, extract(epoch FROM finished_at - started_at)::float8 AS seconds, jsonb_array_length(output->'results') AS n
         FROM runs WHERE id = $1`,
        [run.id],
      )
    ).rows[0];
    if (row.status === 'completed' && row.n === items) return row.seconds;
    if (row.status === 'failed' || row.status === 'stopped') throw new Error(`map run ${run.id} ended ${row.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function benchMap(api: Api, databaseUrl: string, items = 1000, concurrency = 32): Promise<MapFigures> {
  const child = await api<{ id: string }>('POST', '/v1/workflows', { name: 'bench map item', definition: CHILD });
  const map = await api<{ id: string }>('POST', '/v1/workflows', {
    name: 'bench map',
    definition: mapOf(child.id, concurrency),
  });
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await runMap(api, db, map.id, items); // warm-up: JIT, and the pool's connections opened
    const rounds: number[] = [];
    for (let i = 0; i < ROUNDS; i++) rounds.push(await runMap(api, db, map.id, items));
    const seconds = rounds.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)];
    return { items, concurrency, seconds, itemsPerSecond: items / seconds };
  } finally {
    await db.end();
  }
}
