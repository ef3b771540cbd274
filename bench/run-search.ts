/**
 * The run search over a million runs (BENCH_ONLY=search): the runs inserted in one statement
 * (test/support/many-runs.ts), then for each filter the plan of the statement the API sends, which
 * must read runs through an index (no sequential scan: the phase fails otherwise), its execution
 * time, and `GET /v1/runs` answering it through HTTP (median of 5). Last, a bulk stop of one
 * workflow's live runs (`POST /v1/runs/stop`).
 */
import pg from 'pg';
import { encodeCursor } from '../src/runs/run-cursor.js';
import type { RunFilter } from '../src/runs/run-search.js';
import { explainSearch, insertManyRuns, type ManyRuns, searchCases } from '../test/support/many-runs.js';

const RUNS = Number(process.env.BENCH_SEARCH_RUNS ?? 1_000_000);
const REQUESTS = 5;

export interface SearchFigures {
  runs: number;
  insertSeconds: number;
  searches: { name: string; rows: number; planMs: number; httpMs: number; index: string }[];
  stop: { workflowRuns: number; stopped: number; seconds: number };
}

/** The query string of `GET /v1/runs` for a filter, from a run's position when `after` is given. */
function searchQuery(groupId: string, filter: RunFilter, after?: { id: string; createdAt: Date }): string {
  const query = new URLSearchParams({ group_id: groupId, limit: '50' });
  const dates = {
    createdAfter: 'created_after',
    createdBefore: 'created_before',
    finishedAfter: 'finished_after',
    finishedBefore: 'finished_before',
  } as const;
  const ids = {
    workflowId: 'workflow_id',
    scheduleId: 'schedule_id',
    parentRunId: 'parent_run_id',
    rootRunId: 'root_run_id',
    retryOf: 'retry_of',
  } as const;
  for (const [field, name] of Object.entries(dates)) {
    const at = filter[field as keyof typeof dates];
    if (at) query.set(name, at.toISOString());
  }
  for (const [field, name] of Object.entries(ids)) {
    const id = filter[field as keyof typeof ids];
    if (id) query.set(name, id);
  }
  if (filter.statuses) query.set('status', filter.statuses.join(','));
  for (const [key, value] of Object.entries(filter.metadata ?? {})) query.set(`metadata.${key}`, value);
  if (after) query.set('cursor', encodeCursor(after));
  return query.toString();
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function benchRunSearch(options: {
  base: string;
  apiKey: string;
  databaseUrl: string;
}): Promise<SearchFigures> {
  const db = new pg.Client({ connectionString: options.databaseUrl });
  await db.connect();
  const get = async (query: string) => {
    const began = performance.now();
    const response = await fetch(`${options.base}/v1/runs?${query}`, { headers: { 'X-API-Key': options.apiKey } });
    if (!response.ok) throw new Error(`GET /v1/runs?${query}: ${response.status} ${await response.text()}`);
    await response.json();
    return performance.now() - began;
  };
  try {
    const insertBegan = performance.now();
    const runs: ManyRuns = await insertManyRuns(db, RUNS);
    const insertSeconds = (performance.now() - insertBegan) / 1000;
    const searches: SearchFigures['searches'] = [];
    for (const search of searchCases(runs, RUNS)) {
      const explained = await explainSearch(db, runs, search);
      if (explained.plan.includes('Seq Scan on runs')) {
        throw new Error(`search "${search.name}" scans runs sequentially:\n${explained.plan}`);
      }
      const after =
        search.after === undefined
          ? undefined
          : (
              await db.query<{ id: string; created_at: Date }>(
                'SELECT id, created_at FROM runs WHERE id = md5($1::text)::uuid',
                [search.after],
              )
            ).rows.map((row) => ({ id: row.id, createdAt: row.created_at }))[0];
      const query = searchQuery(runs.groupId, search.filter, after);
      const times: number[] = [];
      for (let i = 0; i < REQUESTS; i++) times.push(await get(query));
      searches.push({
        name: search.name,
        rows: explained.rows,
        planMs: explained.ms,
        httpMs: median(times),
        index: [...new Set([...explained.plan.matchAll(/(?:using|Index Scan on) (\w+)/g)].map((m) => m[1]))].join(', '),
      });
    }
    const workflowRuns = (
      await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM runs WHERE workflow_id = $1 AND status IN ('queued', 'running', 'waiting')`,
        [runs.workflowId],
      )
    ).rows[0].n;
    const stopBegan = performance.now();
    const response = await fetch(`${options.base}/v1/runs/stop?group_id=${runs.groupId}`, {
      method: 'POST',
      headers: { 'X-API-Key': options.apiKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ workflow_id: runs.workflowId }),
    });
    if (!response.ok) throw new Error(`POST /v1/runs/stop: ${response.status} ${await response.text()}`);
    const { stopped } = (await response.json()) as { stopped: number };
    const stop = { workflowRuns, stopped, seconds: (performance.now() - stopBegan) / 1000 };
    return { runs: RUNS, insertSeconds, searches, stop };
  } finally {
    await db.end();
  }
}

export function searchLines(figures: SearchFigures): string[] {
  return [
    `run search over ${figures.runs.toLocaleString('en')} runs (inserted in ${figures.insertSeconds.toFixed(1)} s), a page of 50; no plan scans runs sequentially`,
    '',
    '| filter | rows | execution (EXPLAIN ANALYZE) | GET /v1/runs, median of 5 | indexes read |',
    '|---|---|---|---|---|',
    ...figures.searches.map(
      (s) => `| ${s.name} | ${s.rows} | ${s.planMs.toFixed(2)} ms | ${s.httpMs.toFixed(1)} ms | ${s.index} |`,
    ),
    '',
    `bulk stop of one workflow's ${figures.stop.workflowRuns} live runs: stopped ${figures.stop.stopped} in ${figures.stop.seconds.toFixed(1)} s`,
  ];
}
