/**
 * Sync runs beside the two floors that bound them, measured in rounds on the same server:
 * the PostgreSQL floor (a run's two commits via `pg`), the framework floor (the server's cheapest
 * route, `/health/live`), and sync runs of the seed workflow at one connection and at many.
 * A sync run can go no faster than the combined limit 1 / (1/db + 1/framework).
 */
import autocannon from 'autocannon';
import { measureCeiling } from './database-ceiling.js';

export interface LoadFigures {
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  errors: number;
}

export interface RoundFigures {
  databaseFloor: LoadFigures;
  frameworkFloor: LoadFigures;
  syncOne: LoadFigures;
  syncMany: LoadFigures;
}

export interface SyncBenchTarget {
  base: string;
  apiKey: string;
  databaseUrl: string;
  workflow: { id: string; groupId: string };
}

/** Closed-loop load; every 2xx response is timed, as autocannon's summary has no p95. */
async function load(
  target: SyncBenchTarget,
  route: string,
  connections: number,
  seconds: number,
  body?: unknown,
): Promise<LoadFigures> {
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
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
    instance.on('response', (_client, statusCode, _bytes, ms) => {
      if (statusCode >= 200 && statusCode < 300) times.push(ms);
    });
  });
  times.sort((a, b) => a - b);
  const at = (share: number) => times[Math.min(times.length - 1, Math.floor(times.length * share))];
  return {
    perSecond: result.requests.average,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    p99Ms: at(0.99),
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

const SEED_INPUT = { input: { 'User Question': 'What is a DAG?', Context: 'bench' } };

export function measureSync(target: SyncBenchTarget, connections: number, seconds: number): Promise<LoadFigures> {
  return load(target, `/v1/workflows/${target.workflow.id}/runs/sync`, connections, seconds, SEED_INPUT);
}

export async function measureRound(
  target: SyncBenchTarget,
  connections: number,
  seconds: number,
): Promise<RoundFigures> {
  const ceiling = await measureCeiling(target.databaseUrl, target.workflow, connections, seconds * 1000);
  return {
    databaseFloor: {
      perSecond: ceiling.opsPerSecond,
      p50Ms: ceiling.p50Ms,
      p95Ms: ceiling.p95Ms,
      p99Ms: ceiling.p99Ms,
      errors: 0,
    },
    frameworkFloor: await load(target, '/health/live', connections, seconds),
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
    frameworkFloor: median((r) => r.frameworkFloor),
    syncOne: median((r) => r.syncOne),
    syncMany: median((r) => r.syncMany),
  };
}

export function combinedLimit(round: RoundFigures): number {
  return 1 / (1 / round.databaseFloor.perSecond + 1 / round.frameworkFloor.perSecond);
}
