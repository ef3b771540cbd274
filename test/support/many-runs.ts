/**
 * A large `runs` table made in one INSERT … SELECT generate_series, for the run search's index
 * checks (test/run-search-indexes.e2e-spec.ts at 50,000 runs, the bench's search phase at a
 * million), and the searches to EXPLAIN on it. No jest here: the benchmark loads it.
 */
import type pg from 'pg';
import { type RunFilter, searchStatement } from '../../src/runs/run-search.js';

const WORKFLOWS = 20;

export interface ManyRuns {
  /** The group most runs belong to; a tenth of the runs are another group's. */
  groupId: string;
  workflowId: string;
  scheduleId: string;
  /** A root run with child runs (every 50 runs are a root and its 5 children). */
  rootRunId: string;
  /** A run with retries. */
  retriedRunId: string;
  /** The newest run's creation time: the runs were created one every 100 ms before it. */
  newest: Date;
}

/**
 * Inserts `count` runs, one every 100 ms up to now: 90% in one group over 20 workflows, the rest
 * in another (in blocks of 50 rows); statuses 80% completed, 10% failed, 5% stopped, the rest live
 * (queued, running, waiting); one in 10 started by a schedule, one in 4 with metadata (`customer`
 * of 1,000, `plan` of 3), every 50 rows a root run and its 5 children, a retry every 200 rows. Ids
 * are md5 of the row number, so a run's parent and the run it retries are known by number.
 */
export async function insertManyRuns(db: pg.Client, count: number): Promise<ManyRuns> {
  const groups = await db.query<{ id: string }>(
    `INSERT INTO groups (id, name, webhook_secret) SELECT gen_random_uuid(), 'search ' || n, 'whsec_x'
     FROM generate_series(1, 2) AS n RETURNING id`,
  );
  const [groupId, otherGroupId] = groups.rows.map((row) => row.id);
  const workflows = await db.query<{ id: string }>(
    `INSERT INTO workflows (id, group_id, name, definition)
     SELECT gen_random_uuid(), CASE WHEN n <= $3 THEN $1::uuid ELSE $2::uuid END, 'search ' || n, '{}'
     FROM generate_series(1, $3 + 1) AS n ORDER BY n RETURNING id`,
    [groupId, otherGroupId, WORKFLOWS],
  );
  const workflowIds = workflows.rows.map((row) => row.id);
  const schedule = await db.query<{ id: string }>(
    `INSERT INTO schedules (id, group_id, workflow_id, cron, timezone, input)
     VALUES (gen_random_uuid(), $1, $2, '* * * * *', 'UTC', '{}') RETURNING id`,
    [groupId, workflowIds[0]],
  );
  const scheduleId = schedule.rows[0].id;
  const newest = new Date(Math.floor(Date.now() / 1000) * 1000);
  await db.query(
    `INSERT INTO runs (id, group_id, workflow_id, definition, mode, input, status, created_at, finished_at,
                       schedule_id, scheduled_for, parent_run_id, root_run_id, depth, retry_of, metadata)
     SELECT md5(n::text)::uuid,
            CASE WHEN (n / 50) % 10 = 9 THEN $2::uuid ELSE $1::uuid END,
            CASE WHEN (n / 50) % 10 = 9 THEN ($3::uuid[])[$4 + 1] ELSE ($3::uuid[])[1 + (n / 7) % $4] END,
            '{}', 'async', '{}', status, created_at,
            CASE WHEN status IN ('completed', 'failed', 'stopped') THEN created_at + (n % 60) * interval '1 second' END,
            CASE WHEN n % 10 = 0 THEN $5::uuid END,
            CASE WHEN n % 10 = 0 THEN created_at END,
            CASE WHEN n % 50 BETWEEN 1 AND 5 THEN md5((n - n % 50)::text)::uuid END,
            CASE WHEN n % 50 BETWEEN 1 AND 5 THEN md5((n - n % 50)::text)::uuid END,
            CASE WHEN n % 50 BETWEEN 1 AND 5 THEN 1 ELSE 0 END,
            CASE WHEN n % 200 = 7 THEN md5((n - 7)::text)::uuid END,
            CASE WHEN n % 4 = 0 THEN jsonb_build_object('customer', 'c' || (n / 4) % 1000, 'plan', 'p' || n % 3)
                 ELSE '{}' END
     FROM (
       SELECT n, $6::timestamptz - ($7 - n) * interval '100 milliseconds' AS created_at,
              (CASE WHEN s < 80 THEN 'completed' WHEN s < 90 THEN 'failed' WHEN s < 95 THEN 'stopped'
                    WHEN s < 97 THEN 'queued' WHEN s < 99 THEN 'running' ELSE 'waiting' END)::"RunStatus" AS status
       FROM generate_series(1, $7) AS n, LATERAL (SELECT n * 37 % 100 AS s) AS shuffled
     ) AS numbered`,
    [groupId, otherGroupId, workflowIds, WORKFLOWS, scheduleId, newest, count],
  );
  await db.query('ANALYZE runs');
  const run = async (n: number) => (await db.query<{ id: string }>('SELECT md5($1::text)::uuid AS id', [n])).rows[0].id;
  // Row 1000 is in the main group ((n / 50) % 10 ≠ 9), a root (n % 50 = 0), and retried by row 1007.
  return {
    groupId,
    workflowId: workflowIds[3],
    scheduleId,
    rootRunId: await run(1000),
    retriedRunId: await run(1000),
    newest,
  };
}

/** Each filter the API takes, alone, a few together, and on a deep page, over the runs made above. */
export function searchCases(runs: ManyRuns, count: number): { name: string; filter: RunFilter; after?: number }[] {
  const minutesAgo = (minutes: number) => new Date(runs.newest.getTime() - minutes * 60_000);
  const oldest = new Date(runs.newest.getTime() - count * 100);
  const middle = new Date((runs.newest.getTime() + oldest.getTime()) / 2);
  return [
    { name: 'no filter', filter: {} },
    { name: 'status (one)', filter: { statuses: ['failed'] } },
    { name: 'status (several)', filter: { statuses: ['failed', 'stopped'] } },
    { name: 'status (live)', filter: { statuses: ['queued', 'running', 'waiting'] } },
    { name: 'workflow_id', filter: { workflowId: runs.workflowId } },
    { name: 'created_after (last 10 minutes)', filter: { createdAfter: minutesAgo(10) } },
    { name: 'created_before (older half)', filter: { createdBefore: middle } },
    {
      name: 'created_after + created_before (a minute, mid-table)',
      filter: { createdAfter: middle, createdBefore: new Date(middle.getTime() + 60_000) },
    },
    { name: 'finished_after (last 10 minutes)', filter: { finishedAfter: minutesAgo(10) } },
    { name: 'finished_before (older half)', filter: { finishedBefore: middle } },
    { name: 'schedule_id', filter: { scheduleId: runs.scheduleId } },
    { name: 'parent_run_id', filter: { parentRunId: runs.rootRunId } },
    { name: 'root_run_id', filter: { rootRunId: runs.rootRunId } },
    { name: 'retry_of', filter: { retryOf: runs.retriedRunId } },
    { name: 'metadata (one key)', filter: { metadata: { customer: 'c7' } } },
    { name: 'metadata (two keys)', filter: { metadata: { customer: 'c7', plan: 'p1' } } },
    { name: 'metadata (common value)', filter: { metadata: { plan: 'p1' } } },
    {
      name: 'status + created_after + metadata',
      filter: { statuses: ['failed'], createdAfter: minutesAgo(600), metadata: { plan: 'p2' } },
    },
    { name: 'workflow_id + status', filter: { workflowId: runs.workflowId, statuses: ['failed'] } },
    { name: 'no filter, page at the middle (cursor)', filter: {}, after: count / 2 },
    { name: 'status (one), page at the middle (cursor)', filter: { statuses: ['failed'] }, after: count / 2 },
  ];
}

export interface ExplainedSearch {
  name: string;
  plan: string;
  rows: number;
  /** The execution time EXPLAIN ANALYZE reports. */
  ms: number;
}

/**
 * EXPLAIN ANALYZE of the statement the API sends for `filter` (searchStatement, a page of 50 as
 * `GET /v1/runs` asks for 51), from the position of run number `after` when given.
 */
export async function explainSearch(
  db: pg.Client,
  runs: ManyRuns,
  search: { name: string; filter: RunFilter; after?: number },
): Promise<ExplainedSearch> {
  let after;
  if (search.after !== undefined) {
    const position = await db.query<{ id: string; created_at: Date }>(
      'SELECT id, created_at FROM runs WHERE id = md5($1::text)::uuid',
      [search.after],
    );
    after = { id: position.rows[0].id, createdAt: position.rows[0].created_at };
  }
  const statement = searchStatement(runs.groupId, search.filter, { limit: 51, after });
  const explained = await db.query<{ 'QUERY PLAN': string }>({
    text: `EXPLAIN (ANALYZE, COSTS OFF) ${statement.text}`,
    values: statement.values,
  });
  const plan = explained.rows.map((row) => row['QUERY PLAN']).join('\n');
  const ms = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1]);
  const rows = Number(/^Limit \(actual[^)]*rows=(\d+)/m.exec(plan)?.[1] ?? /rows=(\d+)/.exec(plan)?.[1]);
  return { name: search.name, plan, rows, ms };
}
