/**
 * Sync runs beside the two floors that bound them, measured in rounds on the same server:
 * the PostgreSQL floor (a run's two commits via `pg`) at many connections and at one, the
 * framework floor (the server's cheapest route, `/health/live`), an authenticated JSON POST that
 * starts no run (`POST /v1/workflows/validate` of an empty definition: key, body, pipes, JSON
 * answer; no database), and sync runs of the seed workflow at one connection and at many; each
 * with the CPU the server and the database's backends spent on it. A sync run can go no faster
 * than the combined limit 1 / (1/db + 1/framework).
 */
import autocannon from 'autocannon';
import { meterCpu, type CpuSpent } from './cpu-meter.js';
import { measureCeiling } from './database-ceiling.js';

export interface LoadFigures {
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  errors: number;
  /** 2xx responses, or insert+update pairs: the units CPU is divided by. */
  completed: number;
  cpu: CpuSpent;
}

export interface RoundFigures {
  databaseFloor: LoadFigures;
  databaseFloorOne: LoadFigures;
  frameworkFloor: LoadFigures;
  /** An authenticated JSON POST that starts no run: what the stack costs a sync run before its own work. */
  postFloor: LoadFigures;
  syncOne: LoadFigures;
  syncMany: LoadFigures;
}

export interface SyncBenchTarget {
  base: string;
  apiKey: string;
  databaseUrl: string;
  workflow: { id: string; groupId: string };
  serverPid: number;
}

function fire(
  target: SyncBenchTarget,
  request: { route: string; connections: number; seconds: number; body?: unknown },
  onResponse: (statusCode: number, ms: number) => void = () => undefined,
): Promise<autocannon.Result> {
  const { route, connections, seconds, body } = request;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${target.base}${route}`,
        method: body === undefined ? 'GET' : 'POST',
        connections,
        duration: seconds,
        headers: { 'X-API-Key': target.apiKey, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      (error: unknown, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client, statusCode, _bytes, ms) => onResponse(statusCode, ms));
  });
}

/**
 * Closed-loop load; every 2xx response is timed, as autocannon's summary has no p95. A second of
 * the same load first brings the server's database pool back to size (pg closes connections idle
 * for 10 s, as during the floors), so the backends whose CPU is read are the same at both ends.
 */
async function load(
  target: SyncBenchTarget,
  route: string,
  connections: number,
  seconds: number,
  body?: unknown,
): Promise<LoadFigures> {
  await fire(target, { route, connections, seconds: 1, body });
  const times: number[] = [];
  const { value: result, cpu } = await meterCpu(target, () =>
    fire(target, { route, connections, seconds, body }, (statusCode, ms) => {
      if (statusCode >= 200 && statusCode < 300) times.push(ms);
    }),
  );
  times.sort((a, b) => a - b);
  const at = (share: number) => times[Math.min(times.length - 1, Math.floor(times.length * share))];
  return {
    perSecond: result.requests.average,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    p99Ms: at(0.99),
    errors: result.errors + result.timeouts + result.non2xx,
    completed: times.length,
    cpu,
  };
}

const SEED_INPUT = { input: { 'User Question': 'What is a DAG?', Context: 'bench' } };
const EMPTY_DEFINITION = { definition: { nodes: [], edges: [] } };

export function measureSync(target: SyncBenchTarget, connections: number, seconds: number): Promise<LoadFigures> {
  return load(target, `/v1/workflows/${target.workflow.id}/runs/sync`, connections, seconds, SEED_INPUT);
}

export async function measureRound(
  target: SyncBenchTarget,
  connections: number,
  seconds: number,
): Promise<RoundFigures> {
  const databaseFloor = (concurrency: number) =>
    measureCeiling(target, concurrency, seconds * 1000).then(({ opsPerSecond, ...figures }): LoadFigures => ({
      perSecond: opsPerSecond,
      errors: 0,
      ...figures,
    }));
  return {
    databaseFloor: await databaseFloor(connections),
    databaseFloorOne: await databaseFloor(1),
    frameworkFloor: await load(target, '/health/live', connections, seconds),
    postFloor: await load(target, '/v1/workflows/validate', connections, seconds, EMPTY_DEFINITION),
    syncOne: await measureSync(target, 1, seconds),
    syncMany: await measureSync(target, connections, seconds),
  };
}

/** The round whose value is the median, per measurement (so p50 and p99 come from one round). */
export function medianRound(rounds: RoundFigures[]): RoundFigures {
  const median = (pick: (round: RoundFigures) => LoadFigures): LoadFigures => {
    const sorted = rounds.map(pick).sort((a, b) => a.perSecond - b.perSecond);
    return sorted[Math.floor(sorted.length / 2)];
  };
  return {
    databaseFloor: median((r) => r.databaseFloor),
    databaseFloorOne: median((r) => r.databaseFloorOne),
    frameworkFloor: median((r) => r.frameworkFloor),
    postFloor: median((r) => r.postFloor),
    syncOne: median((r) => r.syncOne),
    syncMany: median((r) => r.syncMany),
  };
}

export function combinedLimit(round: RoundFigures): number {
  return 1 / (1 / round.databaseFloor.perSecond + 1 / round.frameworkFloor.perSecond);
}
