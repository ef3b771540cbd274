/**
 * Async runs end to end: throughput (requests queue runs, workers complete them) and the latency
 * from enqueue to start, read from the runs themselves (created_at → started_at).
 */
import autocannon from 'autocannon';
import pg from 'pg';

export interface AsyncFigures {
  runsPerSecond: number;
  completed: number;
  enqueueToStartP50Ms: number;
  enqueueToStartP99Ms: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

async function waitUntilDone(db: pg.Client, workflowId: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await db.query(
      `SELECT count(*)::int AS n FROM runs WHERE workflow_id = $1 AND status IN ('queued', 'running')`,
      [workflowId],
    );
    if (result.rows[0].n === 0 || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function benchAsync(options: {
  base: string;
  apiKey: string;
  workflowId: string;
  databaseUrl: string;
  connections: number;
  seconds: number;
}): Promise<AsyncFigures> {
  const { base, apiKey, workflowId, databaseUrl, connections, seconds } = options;
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const body = JSON.stringify({ input: { 'User Question': 'async bench' } });
    const headers = { 'X-API-Key': apiKey, 'Content-Type': 'application/json' };
    const began = Date.now();
    await autocannon({
      url: `${base}/v1/workflows/${workflowId}/runs`,
      method: 'POST',
      connections,
      duration: seconds,
      headers,
      body,
    });
    await waitUntilDone(db, workflowId, 120_000);
    const finished = await db.query(
      `SELECT count(*)::int AS n, max(finished_at) AS last FROM runs WHERE workflow_id = $1 AND mode = 'async' AND status = 'completed'`,
      [workflowId],
    );
    const completed: number = finished.rows[0].n;
    const runsPerSecond = completed / ((new Date(finished.rows[0].last).getTime() - began) / 1000);

    // Latency at light load: one run at a time, so it measures pickup, not a backlog.
    const since = new Date();
    for (let i = 0; i < 200; i++) {
      await fetch(`${base}/v1/workflows/${workflowId}/runs`, { method: 'POST', headers, body });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await waitUntilDone(db, workflowId, 30_000);
    const latencies = await db.query<{ ms: number }>(
      `SELECT extract(epoch FROM started_at - created_at) * 1000 AS ms FROM runs
       WHERE workflow_id = $1 AND mode = 'async' AND created_at >= $2 ORDER BY 1`,
      [workflowId, since],
    );
    const sorted = latencies.rows.map((row) => Number(row.ms));
    return {
      runsPerSecond,
      completed,
      enqueueToStartP50Ms: percentile(sorted, 0.5),
      enqueueToStartP99Ms: percentile(sorted, 0.99),
    };
  } finally {
    await db.end();
  }
}
