/**
 * What parked runs cost while they wait: sync runs of the seed workflow (1 connection and many)
 * before and while 10,000 runs wait on a SignalNode. While they wait: the leases they hold, their
 * rows rewritten during an idle window (a renewed lease would rewrite its row), the queue's jobs,
 * the server's database connections, RSS and CPU at rest, and `runloom_runs_waiting`. Then 1,000
 * of them are signalled: how long until they have all completed.
 */
import autocannon from 'autocannon';
import pg from 'pg';
import { cpuMs, rssMiB } from './process-stats.js';
import { measureSync, type LoadFigures, type SyncBenchTarget } from './sync-floors.js';

const PARKED = 10_000;
const SIGNALLED = 1_000;
/** Concurrent requests parking runs and sending signals. */
const SENDERS = 32;
const IDLE_SECONDS = 5;

/** The server during IDLE_SECONDS without requests. */
export interface ServerAtRest {
  connections: number;
  activeConnections: number;
  rssMiB: number;
  cpuMs: number;
  /** Waiting runs whose row was written during the window. */
  waitingRowsWritten: number;
}

/** With the server's CPU per run: steadier than runs/s on a shared machine. */
export type SyncFigures = LoadFigures & { cpuMsPerRun: number };

export interface SyncPair {
  one: SyncFigures;
  many: SyncFigures;
}

export interface ParkedFigures {
  parked: number;
  parkSeconds: number;
  connections: number;
  syncBefore: SyncPair;
  syncParked: SyncPair;
  restBefore: ServerAtRest;
  restParked: ServerAtRest;
  leasesHeld: number;
  queueJobs: number;
  waitingMetric: number;
  signalled: number;
  signalSeconds: number;
  resumeSeconds: number;
}

/** start → SignalNode `go` → OutputNode `done`: a run that parks at once and waits for no timer. */
const SIGNAL_WORKFLOW = {
  nodes: [
    { id: 'start', type: 'InputNode', config: { label: 'start', type: 'any', default: null } },
    { id: 'go', type: 'SignalNode', config: { name: 'go' } },
    { id: 'done', type: 'OutputNode', config: { label: 'done' } },
  ],
  edges: [
    { from: { node_id: 'start', output: 'value' }, to: { node_id: 'go', input: 'value' } },
    { from: { node_id: 'go', output: 'payload' }, to: { node_id: 'done', input: 'value' } },
  ],
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(done: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`parked runs: timed out waiting for ${what}`);
    await sleep(50);
  }
}

export async function benchParkedRuns(options: {
  target: SyncBenchTarget;
  connections: number;
  seconds: number;
  serverPid: number;
}): Promise<ParkedFigures> {
  const { target, connections, seconds, serverPid } = options;
  const headers = { 'X-API-Key': target.apiKey, 'Content-Type': 'application/json' };
  async function post<T>(route: string, body: unknown): Promise<T> {
    const response = await fetch(`${target.base}${route}`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`POST ${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }
  const db = new pg.Client({ connectionString: target.databaseUrl });
  await db.connect();
  const count = async (sql: string, values: unknown[] = []) => (await db.query<{ n: number }>(sql, values)).rows[0].n;

  /** Connections of this database other than ours: the server's, as the bench's other clients have ended. */
  async function atRest(): Promise<ServerAtRest> {
    const xid = (
      await db.query<{ xid: string }>(`SELECT (pg_current_xact_id()::text::bigint % 4294967296)::text AS xid`)
    ).rows[0].xid;
    const cpuBefore = await cpuMs(serverPid);
    await sleep(IDLE_SECONDS * 1000);
    const cpuAfter = await cpuMs(serverPid);
    const connections = await db.query<{ total: number; active: number }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE state = 'active')::int AS active FROM pg_stat_activity
       WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
    );
    return {
      connections: connections.rows[0].total,
      activeConnections: connections.rows[0].active,
      rssMiB: await rssMiB(serverPid),
      cpuMs: cpuAfter - cpuBefore,
      // A row's xmin is the transaction that last wrote it: younger than the window's start means written in it.
      waitingRowsWritten: await count(
        `SELECT count(*)::int AS n FROM runs WHERE status = 'waiting' AND age(xmin) < age($1::text::xid)`,
        [xid],
      ),
    };
  }
  async function measureWithCpu(concurrency: number): Promise<SyncFigures> {
    const cpuBefore = await cpuMs(serverPid);
    const figures = await measureSync(target, concurrency, seconds);
    return { ...figures, cpuMsPerRun: ((await cpuMs(serverPid)) - cpuBefore) / (figures.perSecond * seconds) };
  }
  const measurePair = async (): Promise<SyncPair> => ({
    one: await measureWithCpu(1),
    many: await measureWithCpu(connections),
  });

  try {
    const workflowId = (
      await post<{ id: string }>('/v1/workflows', { name: 'bench parked', definition: SIGNAL_WORKFLOW })
    ).id;
    // The second pair follows minutes of requests: the first one gets a server as warm.
    await measureSync(target, connections, seconds);
    const syncBefore = await measurePair();
    const restBefore = await atRest();

    const waiting = () =>
      count(`SELECT count(*)::int AS n FROM runs WHERE workflow_id = $1 AND status = 'waiting'`, [workflowId]);
    const parkingBegan = performance.now();
    // A sync run that parks is answered 202 at once.
    const parking = await autocannon({
      url: `${target.base}/v1/workflows/${workflowId}/runs/sync`,
      method: 'POST',
      connections: SENDERS,
      amount: PARKED,
      headers,
      body: JSON.stringify({ input: {} }),
    });
    if (parking['2xx'] !== PARKED) {
      throw new Error(`parking: ${parking['2xx']} of ${PARKED} answered 2xx (${parking.errors} errors)`);
    }
    await until(async () => (await waiting()) === PARKED, 120_000, `${PARKED} waiting runs`);
    const parkSeconds = (performance.now() - parkingBegan) / 1000;

    const restParked = await atRest();
    const leasesHeld = await count(
      `SELECT count(*)::int AS n FROM runs WHERE status = 'waiting' AND lease_owner IS NOT NULL`,
    );
    const queueJobs = await count(`SELECT count(*)::int AS n FROM graphile_worker._private_jobs`);
    const metrics = await (await fetch(`${target.base}/metrics`)).text();
    const waitingMetric = Number(/^runloom_runs_waiting (\d+)$/m.exec(metrics)?.[1] ?? NaN);
    const syncParked = await measurePair();

    const signalled = (
      await db.query<{ id: string }>(`SELECT id FROM runs WHERE workflow_id = $1 AND status = 'waiting' LIMIT $2`, [
        workflowId,
        SIGNALLED,
      ])
    ).rows.map((row) => row.id);
    const toSignal = [...signalled];
    const signalsBegan = performance.now();
    await Promise.all(
      Array.from({ length: SENDERS }, async () => {
        for (let id = toSignal.pop(); id; id = toSignal.pop()) await post(`/v1/runs/${id}/signals/go`, { payload: 1 });
      }),
    );
    const signalSeconds = (performance.now() - signalsBegan) / 1000;
    const completed = () =>
      count(`SELECT count(*)::int AS n FROM runs WHERE id = ANY($1::uuid[]) AND status = 'completed'`, [signalled]);
    await until(async () => (await completed()) === signalled.length, 120_000, 'the signalled runs to complete');
    const resumeSeconds = (performance.now() - signalsBegan) / 1000;

    return {
      parked: PARKED,
      parkSeconds,
      connections,
      syncBefore,
      syncParked,
      restBefore,
      restParked,
      leasesHeld,
      queueJobs,
      waitingMetric,
      signalled: signalled.length,
      signalSeconds,
      resumeSeconds,
    };
  } finally {
    await db.end();
  }
}

const ms = (value: number) => value.toFixed(1);

/** Rows of the bench's table, and a one-line summary. */
export function parkedLines(park: ParkedFigures): { rows: string[]; summary: string } {
  const sync = (before: SyncFigures, parked: SyncFigures, connections: number) =>
    `| sync run, seed workflow, ${connections} connection(s): before → with ${park.parked} parked | ` +
    `${before.perSecond.toFixed(0)} → ${parked.perSecond.toFixed(0)} runs/s (× ${(parked.perSecond / before.perSecond).toFixed(2)}; server CPU ${before.cpuMsPerRun.toFixed(2)} → ${parked.cpuMsPerRun.toFixed(2)} ms a run) | ` +
    `${ms(before.p50Ms)} → ${ms(parked.p50Ms)} ms | ${ms(before.p99Ms)} → ${ms(parked.p99Ms)} ms | ${before.errors + parked.errors} |`;
  const { restBefore: before, restParked: rest } = park;
  const rows = [
    `| ${park.parked} runs parked on a SignalNode (sync requests, ${SENDERS} connections) | ${(park.parked / park.parkSeconds).toFixed(0)} runs/s (${park.parkSeconds.toFixed(1)} s) | | | 0 |`,
    sync(park.syncBefore.one, park.syncParked.one, 1),
    sync(park.syncBefore.many, park.syncParked.many, park.connections),
    `| ${park.signalled} of them signalled → completed | ${(park.signalled / park.resumeSeconds).toFixed(0)} runs/s (${park.resumeSeconds.toFixed(1)} s; signals sent in ${park.signalSeconds.toFixed(1)} s) | | | 0 |`,
  ];
  const summary =
    `parked: ${park.waitingMetric} waiting (runloom_runs_waiting), ${park.leasesHeld} holding a lease, ${rest.waitingRowsWritten} rewritten and server CPU ${before.cpuMs.toFixed(0)} → ${rest.cpuMs.toFixed(0)} ms in ${IDLE_SECONDS} s at rest, ` +
    `${park.queueJobs} queue jobs; database connections ${before.connections} → ${rest.connections} (active ${before.activeConnections} → ${rest.activeConnections}), ` +
    `RSS ${before.rssMiB.toFixed(0)} → ${rest.rssMiB.toFixed(0)} MiB; sync p95 at 1 ${ms(park.syncBefore.one.p95Ms)} → ${ms(park.syncParked.one.p95Ms)} ms, ` +
    `at ${park.connections} ${ms(park.syncBefore.many.p95Ms)} → ${ms(park.syncParked.many.p95Ms)} ms`;
  return { rows, summary };
}
