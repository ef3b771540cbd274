/**
 * Worker failover: two extra worker processes share the queue with the benchmark server; one is
 * killed with SIGKILL while it executes runs. Measured: from the kill until every run it held is
 * running on another instance (or finished there). Target ≤ 15 s. Few enough runs that the
 * survivors have free slots for them: the figure is detection and takeover, not a backlog.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';

export interface FailoverFigures {
  runsHeld: number;
  takeoverMs: number;
}

const RUN_MS = 20_000;
const RUNS = 16;

/** Input → a 20 s delay → output: runs that are surely in flight when the worker dies. */
const LONG_RUN = {
  nodes: [
    { id: 'start', type: 'InputNode', config: { label: 'start', type: 'any', default: null } },
    { id: 'wait', type: 'DelayNode', config: { ms: RUN_MS } },
    { id: 'done', type: 'OutputNode', config: { label: 'done' } },
  ],
  edges: [
    { from: { node_id: 'start', output: 'value' }, to: { node_id: 'wait', input: 'value' } },
    { from: { node_id: 'wait', output: 'value' }, to: { node_id: 'done', input: 'value' } },
  ],
};

async function poll<T>(probe: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('worker failover: timed out');
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function startWorker(databaseUrl: string): ChildProcess {
  return spawn(process.execPath, ['dist/main.js'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, ROLE: 'worker', PORT: '0', LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export async function benchWorkerFailover(options: {
  databaseUrl: string;
  createRun: (workflowId: string) => Promise<void>;
  createWorkflow: (definition: unknown) => Promise<string>;
}): Promise<FailoverFigures> {
  const { databaseUrl } = options;
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const workers = [startWorker(databaseUrl), startWorker(databaseUrl)];
  const held = (pid: number | undefined) =>
    db.query<{ id: string }>(`SELECT id FROM runs WHERE status = 'running' AND lease_owner LIKE $1`, [`%:${pid}:%`]);
  try {
    for (const worker of workers) {
      await poll(async () => {
        const rows = await db.query(`SELECT 1 FROM instances WHERE id LIKE $1 AND cardinality(worker_ids) > 0`, [
          `%:${worker.pid}:%`,
        ]);
        return rows.rowCount ? true : undefined;
      }, 30_000);
    }
    const workflowId = await options.createWorkflow(LONG_RUN);
    for (let i = 0; i < RUNS; i++) await options.createRun(workflowId);
    // Once every run is running, the extra worker holding the most of them is killed: how the queue
    // spreads 16 runs over three instances varies (one may get none).
    await poll(async () => {
      const rows = await db.query(`SELECT 1 FROM runs WHERE workflow_id = $1 AND status = 'running'`, [workflowId]);
      return rows.rowCount === RUNS ? true : undefined;
    }, 15_000);
    const holdings = await Promise.all(
      workers.map(async (worker) => ({ worker, rows: (await held(worker.pid)).rows })),
    );
    const { worker: victim, rows } = holdings.reduce((most, next) =>
      next.rows.length > most.rows.length ? next : most,
    );
    if (rows.length === 0) throw new Error('worker failover: neither extra worker holds a run');
    const runIds = rows.map((row) => row.id);
    const killedAt = Date.now();
    victim.kill('SIGKILL');
    await poll(async () => {
      const moved = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM runs WHERE id = ANY($1::uuid[])
           AND (status <> 'running' OR lease_owner NOT LIKE $2)`,
        [runIds, `%:${victim.pid}:%`],
      );
      return moved.rows[0].n === runIds.length ? true : undefined;
    }, 60_000);
    return { runsHeld: runIds.length, takeoverMs: Date.now() - killedAt };
  } finally {
    for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    await db.end();
  }
}
