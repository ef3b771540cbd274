/**
 * `npm run bench`: in rounds, sync runs of the seed workflow through HTTP at one connection and at
 * many, beside the PostgreSQL floor (at as many connections, and at one), the framework floor and an
 * authenticated JSON POST that starts no run, measured on the same server (medians of the rounds),
 * with the CPU the server process and the database's PostgreSQL backends spent per unit of each
 * (from /proc); async runs/s end to end and enqueue → start latency; then the ratios of sync runs
 * to the floors (ratios.ts), each the median of its per-round values, and as a table for the
 * README. Then the engine alone on 1,000-node DAGs; how long a killed worker's runs take to run
 * elsewhere. The server runs as ROLE=all (API and worker). Uses the embedded PostgreSQL, or a fresh
 * database on DATABASE_URL's server when that is set (on this machine, for the PostgreSQL CPU
 * figures).
 * Then a 1,000-item MapNode of a trivial sub-workflow at concurrency 32 (items/s), fairness
 * between groups: B's async p95 while A floods the queue, B's sync p95 while A fans out; and sync
 * runs before and while 10,000 runs are parked on a SignalNode, with what those runs hold; last, the
 * run search (GET /v1/runs) over a million runs, each filter's plan checked for sequential scans.
 * Knobs: BENCH_CONNECTIONS (32), BENCH_SECONDS (10 per measurement), BENCH_ROUNDS (3),
 * BENCH_SEARCH_RUNS (1,000,000), BENCH_ONLY=sync (the rounds, async runs and the ratios), map,
 * fairness, failover, parked or search (that measurement alone).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import autocannon from 'autocannon';
import { migrateDatabase } from '../src/database/migrate.js';
import { benchAsync } from './async-runs.js';
import { SEED_DEFINITION } from '../examples/seed-workflow.js';
import { benchEngine } from './engine.js';
import { benchMap, type MapFigures } from './map-run.js';
import { benchParkedRuns, parkedLines } from './parked-runs.js';
import { benchRunSearch, searchLines } from './run-search.js';
import { benchQueueFairness, type FairnessFigures, type Latencies } from './queue-fairness.js';
import { ratioLines } from './ratios.js';
import { measureRound, medianRound, type LoadFigures, type RoundFigures } from './sync-floors.js';
import { benchWorkerFailover } from './worker-failover.js';
import { scratchDatabase } from './scratch-database.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const API_KEY = 'rl_BenchmarkKey000000000000000000000000000001';
const PORT = 3900 + Math.floor(Math.random() * 90);
const BASE = `http://127.0.0.1:${PORT}`;

async function startApi(databaseUrl: string): Promise<ChildProcess> {
  const server = spawn(process.execPath, ['dist/main.js'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(PORT),
      BOOTSTRAP_API_KEY: API_KEY,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '0',
      // The async and fairness phases queue thousands of runs of one group: throughput and queue
      // order are measured here, not admission (max_active_runs has its own test and figures).
      MAX_ACTIVE_RUNS_PER_GROUP: '100000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 100; i++) {
    const ready = await fetch(`${BASE}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return server;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  server.kill();
  throw new Error('the API did not become ready');
}

async function api<T>(method: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${BASE}${route}`, {
    method,
    headers: { 'X-API-Key': API_KEY, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

function loadSync(workflowId: string, seconds: number) {
  return autocannon({
    url: `${BASE}/v1/workflows/${workflowId}/runs/sync`,
    method: 'POST',
    connections: CONNECTIONS,
    duration: seconds,
    headers: { 'X-API-Key': API_KEY, 'Content-Type': 'application/json' },
    body: JSON.stringify({ input: { 'User Question': 'What is a DAG?', Context: 'bench' } }),
  });
}

const mapLine = (map: MapFigures) =>
  `| MapNode, ${map.items} items of a trivial sub-workflow, concurrency ${map.concurrency} | ${map.itemsPerSecond.toFixed(0)} items/s (${map.seconds.toFixed(1)} s) | | | 0 |`;

const p50p95 = (figures: Latencies) => `${figures.p50Ms.toFixed(0)} / ${figures.p95Ms.toFixed(0)} ms`;

const fairnessLines = (fair: FairnessFigures) => [
  `| B's async run, create → finish, p50 / p95: alone / behind A's ${fair.flood} queued 200 ms runs (${fair.floodQueued} still queued) | ${p50p95(fair.asyncBefore)} → ${p50p95(fair.asyncDuringFlood)} | | | |`,
  `| B's sync run, p50 / p95: alone / while A fans out (nested MapNodes, ${fair.fanOutChildren} of ${fair.fanOutLeaves} leaf child runs done in ${fair.fanOutSeconds} s) | ${p50p95(fair.syncBefore)} → ${p50p95(fair.syncDuringFanOut)} | | | |`,
];

async function main(): Promise<void> {
  const db = await scratchDatabase('runloom_bench');
  await migrateDatabase(db.url);
  const server = await startApi(db.url);
  try {
    if (process.env.BENCH_ONLY === 'map') {
      process.stdout.write(`${mapLine(await benchMap(api, db.url))}\n`);
      return;
    }
    const fairness = () => benchQueueFairness({ base: BASE, adminKey: API_KEY, databaseUrl: db.url });
    if (process.env.BENCH_ONLY === 'fairness') {
      process.stdout.write(`${fairnessLines(await fairness()).join('\n')}\n`);
      return;
    }
    const workerFailover = () =>
      benchWorkerFailover({
        databaseUrl: db.url,
        createWorkflow: async (definition) =>
          (await api<{ id: string }>('POST', '/v1/workflows', { name: 'bench failover', definition })).id,
        createRun: async (workflowId) => {
          await api('POST', `/v1/workflows/${workflowId}/runs`, { input: {} });
        },
      });
    if (process.env.BENCH_ONLY === 'failover') {
      const { runsHeld, takeoverMs } = await workerFailover();
      process.stdout.write(`worker failover: ${runsHeld} runs held, running elsewhere after ${takeoverMs} ms\n`);
      return;
    }
    const search = () => benchRunSearch({ base: BASE, apiKey: API_KEY, databaseUrl: db.url });
    if (process.env.BENCH_ONLY === 'search') {
      process.stdout.write(`${searchLines(await search()).join('\n')}\n`);
      return;
    }
    const workflow = await api<{ id: string; group_id: string }>('POST', '/v1/workflows', {
      name: 'bench seed',
      definition: SEED_DEFINITION,
    });
    await loadSync(workflow.id, 3); // warm-up: JIT, connection pools
    const target = {
      base: BASE,
      apiKey: API_KEY,
      databaseUrl: db.url,
      workflow: { id: workflow.id, groupId: workflow.group_id },
      serverPid: server.pid!,
    };
    const parked = () => benchParkedRuns({ target, connections: CONNECTIONS, seconds: SECONDS });
    if (process.env.BENCH_ONLY === 'parked') {
      const { rows, summary } = parkedLines(await parked());
      process.stdout.write(`${[...rows, summary].join('\n')}\n`);
      return;
    }
    const rounds: RoundFigures[] = [];
    for (let i = 0; i < ROUNDS; i++) rounds.push(await measureRound(target, CONNECTIONS, SECONDS));
    const median = medianRound(rounds);
    const asyncWorkflow = await api<{ id: string }>('POST', '/v1/workflows', {
      name: 'bench async',
      definition: SEED_DEFINITION,
    });
    const asyncRuns = await benchAsync({
      base: BASE,
      apiKey: API_KEY,
      workflowId: asyncWorkflow.id,
      databaseUrl: db.url,
      connections: CONNECTIONS,
      seconds: SECONDS,
    });
    const row = (name: string, figures: LoadFigures, unit: string) =>
      `| ${name} | ${figures.perSecond.toFixed(0)} ${unit}/s | ${figures.p50Ms.toFixed(1)} ms | ${figures.p99Ms.toFixed(1)} ms | ${figures.errors} |`;
    const perRound = (pick: (round: RoundFigures) => LoadFigures) =>
      rounds.map((round) => pick(round).perSecond.toFixed(0)).join(' / ');
    const syncRows = [
      `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL ${db.kind}`,
      `load: ${CONNECTIONS} connections, ${SECONDS} s per measurement (after a 3 s warm-up); medians of ${ROUNDS} rounds`,
      '',
      '| measurement | throughput | p50 | p99 | errors |',
      '|---|---|---|---|---|',
      row('PostgreSQL floor: insert a run, then update it, via pg', median.databaseFloor, 'ops'),
      row('PostgreSQL floor, 1 connection', median.databaseFloorOne, 'ops'),
      row('framework floor: GET /health/live', median.frameworkFloor, 'req'),
      row('authenticated JSON POST, no run: POST /v1/workflows/validate', median.postFloor, 'req'),
      row('sync run, seed workflow, 1 connection', median.syncOne, 'runs'),
      row(`sync run, seed workflow, ${CONNECTIONS} connections`, median.syncMany, 'runs'),
      `| async runs end to end (queue → worker → completed) | ${asyncRuns.runsPerSecond.toFixed(0)} runs/s (${asyncRuns.completed} runs) | | | |`,
      `| enqueue → start, one run at a time | | ${asyncRuns.enqueueToStartP50Ms.toFixed(1)} ms | ${asyncRuns.enqueueToStartP99Ms.toFixed(1)} ms | |`,
    ];
    const syncSummary = [
      `per round (runs or ops/s): PostgreSQL floor ${perRound((r) => r.databaseFloor)}, at 1 ${perRound((r) => r.databaseFloorOne)}; framework floor ${perRound((r) => r.frameworkFloor)}; validate POST ${perRound((r) => r.postFloor)}; sync at 1 ${perRound((r) => r.syncOne)}; sync at ${CONNECTIONS} ${perRound((r) => r.syncMany)}`,
      `sync at 1 connection p50 ${median.syncOne.p50Ms.toFixed(1)} ms (target ≤ 3); at ${CONNECTIONS}: p99 ${median.syncMany.p99Ms.toFixed(1)} ms (target ≤ 50), errors ${median.syncMany.errors} (target 0)`,
      `enqueue → start p50 ${asyncRuns.enqueueToStartP50Ms.toFixed(1)} ms (target ≤ 5)`,
    ];
    const ratios = ratioLines(rounds, asyncRuns, CONNECTIONS);
    if (process.env.BENCH_ONLY === 'sync') {
      process.stdout.write(`${[...syncRows, '', ...syncSummary, '', ...ratios].join('\n')}\n`);
      return;
    }
    const engine = await benchEngine();
    const failover = await workerFailover();
    const map = await benchMap(api, db.url);
    const fair = await fairness();
    const park = parkedLines(await parked());
    // Last: its million runs would weigh on every measurement after it.
    const searchFigures = await search();
    const lines = [
      ...syncRows,
      `| engine alone, ${engine.nodes}-node chain | | ${engine.chainMedianMs.toFixed(1)} ms | | |`,
      `| engine alone, ${engine.nodes}-node fan-out | | ${engine.wideMedianMs.toFixed(1)} ms | | |`,
      `| worker killed (SIGKILL) → its ${failover.runsHeld} runs running elsewhere | | ${(failover.takeoverMs / 1000).toFixed(1)} s | | |`,
      mapLine(map),
      ...fairnessLines(fair),
      ...park.rows,
      '',
      ...syncSummary,
      `worker failover ${(failover.takeoverMs / 1000).toFixed(1)} s (target ≤ 15)`,
      `B's async p95 behind A's flood ${fair.asyncDuringFlood.p95Ms.toFixed(0)} ms (alone ${fair.asyncBefore.p95Ms.toFixed(0)} ms)`,
      park.summary,
      '',
      ...ratios,
      '',
      ...searchLines(searchFigures),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    await db.cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
