/**
 * `npx tsx bench/async-cost.ts`: what one async run of the seed workflow costs end to end (created
 * through HTTP, queued, fetched by a worker, claimed, executed, its job completed) beside a sync run
 * on the same server in the same minute, so that two builds can be compared on a busy machine:
 * async runs/s from the first create to the last completion observed, sync runs/s, their ratio,
 * and per run the CPU of the server process and of its PostgreSQL backends (/proc), round trips
 * (every pg query, the queue's polling included), transactions, WAL bytes (the server's, so run it
 * alone on the server), and what active backends wait on (pg_stat_activity every 10 ms), with the
 * statements an async run makes most.
 * Needs DATABASE_URL (a server on this machine to create a scratch database on) and a build;
 * ASYNC_COST_DIR runs another checkout's build (for A/B), ASYNC_COST_RUNS (2000 of each kind),
 * ASYNC_COST_CONNECTIONS (32, as `npm run bench`), ASYNC_COST_NODE_ARGS (e.g. --cpu-prof) tune it.
 * Linux only (/proc).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { SEED_DEFINITION } from '../examples/seed-workflow.js';
import { backendsSpent, readBackends } from './cpu-meter.js';
import { cpuMs } from './process-stats.js';
import { sampleBackendWaits } from './backend-waits.js';
import { scratchDatabase } from './scratch-database.js';

const RUNS = Number(process.env.ASYNC_COST_RUNS ?? 2000);
const CONNECTIONS = Number(process.env.ASYNC_COST_CONNECTIONS ?? 32);
const API_KEY = 'rl_BenchmarkKey000000000000000000000000000001';
const PORT = 4000 + Math.floor(Math.random() * 900);
const BASE = `http://127.0.0.1:${PORT}`;
const HEADERS = { 'X-API-Key': API_KEY, 'Content-Type': 'application/json' };
const BODY = JSON.stringify({ input: { 'User Question': 'What is a DAG?', Context: 'bench' } });

interface Counts {
  queries: number;
  byText: Record<string, number>;
}

interface Snapshot {
  serverCpuMs: number;
  backends: Awaited<ReturnType<typeof readBackends>>;
  counts: Counts;
  xacts: number;
  /** The server's WAL position, in bytes: WAL written between two snapshots, by every database. */
  walBytes: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function startServer(databaseUrl: string, countFile: string): ChildProcess {
  return spawn(
    process.execPath,
    [...(process.env.ASYNC_COST_NODE_ARGS ?? '').split(' ').filter(Boolean), 'dist/main.js'],
    {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: String(PORT),
        BOOTSTRAP_API_KEY: API_KEY,
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
        RATE_LIMIT_PER_MINUTE: '0',
        // Thousands of runs of one group are queued at once: throughput is measured, not admission.
        MAX_ACTIVE_RUNS_PER_GROUP: '100000',
        COUNT_FILE: countFile,
        NODE_OPTIONS: `--import ${new URL('./pg-query-counter.mjs', import.meta.url).href} --no-warnings`,
      },
      cwd: process.env.ASYNC_COST_DIR ?? process.cwd(),
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

async function waitReady(): Promise<void> {
  for (let i = 0; ; i++) {
    const ready = await fetch(`${BASE}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return;
    if (i > 150) throw new Error('the server did not become ready');
    await sleep(200);
  }
}

/** The counter's latest file; a read can meet it half written, and is then made again. */
async function readCounts(file: string): Promise<Counts> {
  for (let attempt = 0; ; attempt++) {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as Counts;
    } catch (error) {
      if (attempt > 10) throw error;
      await sleep(30);
    }
  }
}

/** Runs of the workflow not finished yet. */
async function unfinished(db: pg.Client, workflowId: string): Promise<number> {
  const result = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM runs WHERE workflow_id = $1 AND status IN ('queued', 'running')`,
    [workflowId],
  );
  return result.rows[0].n;
}

async function main() {
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL must name a PostgreSQL server on this machine');
  const scratch = await scratchDatabase('runloom_async_cost');
  const countFile = path.join(tmpdir(), `runloom-async-cost-${PORT}.json`);
  const server = startServer(scratch.url, countFile);
  const db = new pg.Client({ connectionString: scratch.url });
  try {
    await waitReady();
    await db.connect();
    const name = (await db.query<{ name: string }>('SELECT current_database() AS name')).rows[0].name;
    const created = await fetch(`${BASE}/v1/workflows`, {
      method: 'POST',
      headers: HEADERS,
      body: JSON.stringify({ name: 'async cost', definition: SEED_DEFINITION }),
    });
    const workflow = (await created.json()) as { id: string };
    if (!created.ok) throw new Error(JSON.stringify(workflow));
    const fire = (mode: 'sync' | 'async', amount: number) =>
      autocannon({
        url: `${BASE}/v1/workflows/${workflow.id}/runs${mode === 'sync' ? '/sync' : ''}`,
        method: 'POST',
        connections: CONNECTIONS,
        amount,
        headers: HEADERS,
        body: BODY,
      });
    const drained = async () => {
      for (let i = 0; (await unfinished(db, workflow.id)) > 0; i++) {
        if (i > 6000) throw new Error('async runs did not finish within 5 minutes');
        await sleep(50);
      }
    };
    const snapshot = async (): Promise<Snapshot> => {
      // The counter writes its file five times a second.
      await sleep(400);
      const counts = await readCounts(countFile);
      const stats = await db.query<{ xact_commit: string; wal_bytes: string }>(
        `SELECT xact_commit, pg_current_wal_lsn() - '0/0' AS wal_bytes FROM pg_stat_database WHERE datname = $1`,
        [name],
      );
      return {
        serverCpuMs: await cpuMs(server.pid!),
        backends: await readBackends(db, name),
        counts,
        xacts: Number(stats.rows[0].xact_commit),
        walBytes: Number(stats.rows[0].wal_bytes),
      };
    };
    const measure = async (mode: 'sync' | 'async') => {
      const before = await snapshot();
      const sampler = sampleBackendWaits(scratch.url, name);
      const started = performance.now();
      const result = await fire(mode, RUNS);
      if (mode === 'async') await drained();
      const seconds = (performance.now() - started) / 1000;
      const waits = await sampler.stop();
      const after = await snapshot();
      const database = backendsSpent(before.backends, after.backends);
      const statements = Object.entries(after.counts.byText)
        .map(([text, count]) => [text, count - (before.counts.byText[text] ?? 0)] as const)
        .filter(([, count]) => count > 0)
        .sort((a, b) => b[1] - a[1]);
      return {
        mode,
        runsPerSecond: Math.round(RUNS / seconds),
        non2xx: result.non2xx + result.errors,
        serverCpuMsPerRun: Number(((after.serverCpuMs - before.serverCpuMs) / RUNS).toFixed(3)),
        pgCpuMsPerRun:
          database.unreadable > 0
            ? `unreadable (${database.unreadable} backends)`
            : Number((database.cpuMs / RUNS).toFixed(3)),
        pgBackends: `${database.kept} kept, ${database.appeared} appeared, ${database.exited} exited`,
        roundTripsPerRun: Number(((after.counts.queries - before.counts.queries) / RUNS).toFixed(2)),
        xactsPerRun: Number(((after.xacts - before.xacts) / RUNS).toFixed(2)),
        walBytesPerRun: Math.round((after.walBytes - before.walBytes) / RUNS),
        activeBackendSamples: waits,
        statements,
      };
    };
    // Warm-up: both paths planned and jitted, the pools filled.
    await fire('async', 300);
    await drained();
    await fire('sync', 300);
    const asyncRuns = await measure('async');
    const syncRuns = await measure('sync');
    const { statements, ...asyncFigures } = asyncRuns;
    process.stdout.write(
      `${JSON.stringify({
        build: process.env.ASYNC_COST_DIR ?? process.cwd(),
        runs: RUNS,
        connections: CONNECTIONS,
        asyncPerSync: Number((asyncRuns.runsPerSecond / syncRuns.runsPerSecond).toFixed(2)),
        async: asyncFigures,
        sync: { ...syncRuns, statements: undefined },
      })}\n`,
    );
    for (const [text, count] of statements.slice(0, 15)) process.stdout.write(`${(count / RUNS).toFixed(2)} ${text}\n`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    await db.end().catch(() => undefined);
    await scratch.cleanup();
    await rm(countFile, { force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
