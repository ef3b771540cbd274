/**
 * `npx tsx bench/sync-cost.ts`: what one sync run of the seed workflow costs, in resources rather
 * than wall-clock time, so that two builds can be compared on a busy machine: CPU of the server
 * process and of its PostgreSQL backends, round trips, transactions and rows per run, the most
 * frequent statements, and what active backends wait on (pg_stat_activity sampled every 10 ms).
 * Needs DATABASE_URL (a server to create a scratch database on) and a build; SYNC_COST_DIR runs
 * another checkout's build (for A/B), SYNC_COST_RUNS (3000), SYNC_COST_CONNECTIONS (8),
 * SYNC_COST_NODE_ARGS (e.g. --cpu-prof) tune it. Linux only (/proc).
 */
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { SEED_DEFINITION } from '../examples/seed-workflow.js';
import { backendsSpent, readBackends } from './cpu-meter.js';
import { cpuMs } from './process-stats.js';
import { sampleBackendWaits } from './backend-waits.js';

const RUNS = Number(process.env.SYNC_COST_RUNS ?? 3000);
const CONNECTIONS = Number(process.env.SYNC_COST_CONNECTIONS ?? 8);
const API_KEY = 'rl_BenchmarkKey000000000000000000000000000001';
const PORT = 4000 + Math.floor(Math.random() * 900);
const BASE = `http://127.0.0.1:${PORT}`;

async function main() {
  const serverUrl = process.env.DATABASE_URL!;
  const name = `runloom_cost_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const countFile = path.join(tmpdir(), `runloom-sync-cost-${PORT}.json`);
  const server = spawn(
    process.execPath,
    [...(process.env.SYNC_COST_NODE_ARGS ?? '').split(' ').filter(Boolean), 'dist/main.js'],
    {
      env: {
        ...process.env,
        DATABASE_URL: url.toString(),
        PORT: String(PORT),
        BOOTSTRAP_API_KEY: API_KEY,
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
        RATE_LIMIT_PER_MINUTE: '0',
        COUNT_FILE: countFile,
        NODE_OPTIONS: `--import ${new URL('./pg-query-counter.mjs', import.meta.url).href} --no-warnings`,
      },
      cwd: process.env.SYNC_COST_DIR ?? process.cwd(),
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  try {
    for (let i = 0; ; i++) {
      if (
        await fetch(`${BASE}/health/ready`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (i > 150) throw new Error('not ready');
      await new Promise((r) => setTimeout(r, 200));
    }
    const created = await fetch(`${BASE}/v1/workflows`, {
      method: 'POST',
      headers: { 'X-API-Key': API_KEY, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'cost', definition: SEED_DEFINITION }),
    });
    const workflow = (await created.json()) as { id: string };
    if (!created.ok) throw new Error(JSON.stringify(workflow));
    const fire = (amount: number) =>
      autocannon({
        url: `${BASE}/v1/workflows/${workflow.id}/runs/sync`,
        method: 'POST',
        connections: CONNECTIONS,
        amount,
        headers: { 'X-API-Key': API_KEY, 'Content-Type': 'application/json' },
        body: JSON.stringify({ input: { 'User Question': 'What is a DAG?', Context: 'bench' } }),
      });
    await fire(500);
    const snapshot = async () => {
      await new Promise((r) => setTimeout(r, 1200));
      await new Promise((r) => setTimeout(r, 200));
      const counts = JSON.parse(await readFile(countFile, 'utf8')) as {
        queries: number;
        byText: Record<string, number>;
      };
      const backends = await readBackends(admin, name);
      const db = (
        await admin.query(
          'SELECT xact_commit, tup_inserted, tup_updated, tup_deleted FROM pg_stat_database WHERE datname = $1',
          [name],
        )
      ).rows[0];
      return { serverCpuMs: await cpuMs(server.pid!), backends, counts, db };
    };
    const before = await snapshot();
    const started = performance.now();
    const sampler = sampleBackendWaits(serverUrl, name);
    const result = await fire(RUNS);
    const waits = await sampler.stop();
    const seconds = (performance.now() - started) / 1000;
    const after = await snapshot();
    const database = backendsSpent(before.backends, after.backends);
    const per = (a: number, b: number) => ((a - b) / RUNS).toFixed(2);
    const texts = Object.entries(after.counts.byText)
      .map(([k, v]) => [k, v - (before.counts.byText[k] ?? 0)] as const)
      .filter(([, v]) => v > 0)
      .sort((a, b) => b[1] - a[1]);
    process.stdout.write(
      `${JSON.stringify({
        runs: RUNS,
        connections: CONNECTIONS,
        non2xx: result.non2xx + result.errors,
        wallRunsPerSecond: Math.round(RUNS / seconds),
        p50: result.latency.p50,
        serverCpuMsPerRun: ((after.serverCpuMs - before.serverCpuMs) / RUNS).toFixed(3),
        pgCpuMsPerRun:
          database.unreadable > 0 ? `unreadable (${database.unreadable} backends)` : (database.cpuMs / RUNS).toFixed(3),
        pgBackends: `${database.kept} kept, ${database.appeared} appeared, ${database.exited} exited`,
        roundTripsPerRun: per(after.counts.queries, before.counts.queries),
        xactsPerRun: per(Number(after.db.xact_commit), Number(before.db.xact_commit)),
        rowsInsertedPerRun: per(Number(after.db.tup_inserted), Number(before.db.tup_inserted)),
        rowsUpdatedPerRun: per(Number(after.db.tup_updated), Number(before.db.tup_updated)),
        activeBackendSamples: waits,
      })}\n`,
    );
    for (const [text, count] of texts.slice(0, 15)) process.stdout.write(`${(count / RUNS).toFixed(2)} ${text}\n`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    await rm(countFile, { force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
