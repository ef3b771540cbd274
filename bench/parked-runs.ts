/**
 * What parked runs cost while they wait: a round of sync runs of the seed workflow beside the
 * floors (sync-floors.ts) before and while 10,000 runs wait on a SignalNode; on a shared machine
 * the ratio to the floors is the figure to compare, runs/s move with the neighbours. While they wait: the leases they hold, their
 * rows rewritten during an idle window (a renewed lease would rewrite its row), the queue's jobs,
 * the server's database connections, RSS and CPU at rest, and `runloom_runs_waiting`. Then 1,000
 * of them are signalled: how long until they have all completed.
 */
import autocannon from 'autocannon';
import pg from 'pg';
import { cpuMs, rssMiB } from './process-stats.js';
import {
  combinedLimit,
  measureRound,
  measureSync,
  type LoadFigures,
  type RoundFigures,
  type SyncBenchTarget,
} from './sync-floors.js';

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

export interface ParkedFigures {
  parked: number;
  parkSeconds: number;
  connections: number;
  syncBefore: RoundFigures;
  syncParked: RoundFigures;
  restBefore: ServerAtRest;
  restParked: ServerAtRest;
  leasesHeld: number;
  /** Queued jobs for the parked runs: a timer would be one. */
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
}): Promise<ParkedFigures> {
  const { target, connections, seconds } = options;
  const { serverPid } = target;
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
  /**
   * Each round on a vacuumed and analysed database, as autovacuum keeps it in service: until its
   * first pass over this new database (a minute or two in), sync runs went at half the rate, and
   * that pass would fall between the two rounds.
   */
  async function measureAnalysed(): Promise<RoundFigures> {
    await db.query('VACUUM ANALYZE');
    return measureRound(target, connections, seconds);
  }
  try {
    const workflowId = (
      await post<{ id: string }>('/v1/workflows', { name: 'bench parked', definition: SIGNAL_WORKFLOW })
    ).id;
    // The round while parked follows minutes of requests: the one before gets a server as warm.
    await measureSync(target, connections, seconds);
    const syncBefore = await measureAnalysed();
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
    const queueJobs = await count(
      `SELECT count(*)::int AS n FROM graphile_worker._private_jobs AS job
       JOIN runs ON runs.id = (job.payload ->> 'runId')::uuid WHERE runs.workflow_id = $1`,
      [workflowId],
    );
    const metrics = await (await fetch(`${target.base}/metrics`)).text();
    const waitingMetric = Number(/^runloom_runs_waiting (\d+)$/m.exec(metrics)?.[1] ?? NaN);
    const syncParked = await measureAnalysed();

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
const shareOfLimit = (round: RoundFigures) => (round.syncMany.perSecond / combinedLimit(round)).toFixed(2);

/** Rows of the bench's table, and a one-line summary. */
export function parkedLines(park: ParkedFigures): { rows: string[]; summary: string } {
  const { syncBefore, syncParked, restBefore: before, restParked: rest } = park;
  const sync = (pick: (round: RoundFigures) => LoadFigures, connections: number) => {
    const [was, is] = [pick(syncBefore), pick(syncParked)];
    return (
      `| sync run, seed workflow, ${connections} connection(s): before → with ${park.parked} parked | ` +
      `${was.perSecond.toFixed(0)} → ${is.perSecond.toFixed(0)} runs/s | ${ms(was.p50Ms)} → ${ms(is.p50Ms)} ms | ` +
      `${ms(was.p99Ms)} → ${ms(is.p99Ms)} ms | ${was.errors + is.errors} |`
    );
  };
  const rows = [
    `| ${park.parked} runs parked on a SignalNode (sync requests, ${SENDERS} connections) | ${(park.parked / park.parkSeconds).toFixed(0)} runs/s (${park.parkSeconds.toFixed(1)} s) | | | 0 |`,
    sync((round) => round.syncOne, 1),
    sync((round) => round.syncMany, park.connections),
    `| ${park.signalled} of them signalled → completed | ${(park.signalled / park.resumeSeconds).toFixed(0)} runs/s (${park.resumeSeconds.toFixed(1)} s; signals sent in ${park.signalSeconds.toFixed(1)} s) | | | 0 |`,
  ];
  const summary =
    `parked: sync at ${park.connections} ÷ combined limit ${shareOfLimit(syncBefore)} → ${shareOfLimit(syncParked)} ` +
    `(floors ${syncBefore.databaseFloor.perSecond.toFixed(0)} → ${syncParked.databaseFloor.perSecond.toFixed(0)} ops/s, ` +
    `${syncBefore.frameworkFloor.perSecond.toFixed(0)} → ${syncParked.frameworkFloor.perSecond.toFixed(0)} req/s, ` +
    `validate POST ${syncBefore.postFloor.perSecond.toFixed(0)} → ${syncParked.postFloor.perSecond.toFixed(0)} req/s); ` +
    `sync p95 at 1 ${ms(syncBefore.syncOne.p95Ms)} → ${ms(syncParked.syncOne.p95Ms)} ms, at ${park.connections} ${ms(syncBefore.syncMany.p95Ms)} → ${ms(syncParked.syncMany.p95Ms)} ms; ` +
    `${park.waitingMetric} waiting (runloom_runs_waiting), ${park.leasesHeld} holding a lease, ${rest.waitingRowsWritten} rewritten and server CPU ${before.cpuMs.toFixed(0)} → ${rest.cpuMs.toFixed(0)} ms in ${IDLE_SECONDS} s at rest, ` +
    `${park.queueJobs} queue jobs; database connections ${before.connections} → ${rest.connections} (active ${before.activeConnections} → ${rest.activeConnections}), ` +
    `RSS ${before.rssMiB.toFixed(0)} → ${rest.rssMiB.toFixed(0)} MiB`;
  return { rows, summary };
}
