/**
 * graphile-worker task names, for the task lists and for SQL that queues jobs. The migration's
 * `runs_queue_callback` trigger names `deliver_callback` too: a migration cannot import it.
 */
export const EXECUTE_RUN_JOB = 'execute_run';
export const DELIVER_CALLBACK_JOB = 'deliver_callback';

/**
 * An `execute_run` job's payload. The group lets a worker share its slots between groups without
 * reading the run first; jobs queued by earlier versions carry only the run id (and no group flag:
 * see QUEUED_OUTSIDE_GROUPS).
 */
export interface ExecuteRunPayload {
  runId: string;
  groupId?: string;
}

/**
 * The highest priority an `execute_run` job gets (graphile-worker takes the lowest first): a run's
 * priority is its place in its group's line, counted up to this. Groups with longer lines share
 * the last place and are taken among themselves by queueing time. Counting is the cost a queued
 * run pays at creation, so the bound is the most a flooding group's insert reads of its own line.
 */
export const LAST_QUEUE_PLACE = 1000;

/** What an `execute_run` job's group flag starts with; the group's id follows. */
export const GROUP_FLAG_PREFIX = 'group:';

/** The flag of a group's `execute_run` jobs, which a worker forbids while the group fills its share (FetchGate). */
export function groupFlag(groupId: string): string {
  return `${GROUP_FLAG_PREFIX}${groupId}`;
}

/**
 * SQL that queues a run's `execute_run` job (one per run, by its job key), flagged with its group
 * (groupFlag). `runId` and `groupId` are SQL expressions, columns or parameters; `options` are
 * add_job's further named arguments. Without a `priority` option the job has priority 0, the front
 * of the queue: re-queued runs (their holder died or handed them back) have waited their turn already.
 */
export function queueRunJob(runId: string, groupId: string, options?: string): string {
  const payload = `json_build_object('runId', ${runId}, 'groupId', ${groupId})`;
  const flags = `flags := ARRAY['${GROUP_FLAG_PREFIX}' || ${groupId}]`;
  return `graphile_worker.add_job('${EXECUTE_RUN_JOB}', ${payload}, job_key := 'run:' || ${runId}, ${flags}${options ? `, ${options}` : ''})`;
}

/**
 * SQL inserting the `execute_run` job of a run its statement just created (`source`, a CTE with the
 * run's `id` and `group_id`), due `delayMs` (an SQL integer expression) from now; no job when it is
 * NULL. It is the row add_job writes for queueRunJob, without add_job's NOTIFY. Each notifying commit
 * holds one database-wide lock through its WAL flush, so a NOTIFY per run serialized run creation;
 * QueueNudge wakes the workers after the commit instead. A new run has no job yet, so add_job's
 * job-key handling (replacing a queued job, detaching a running one) has nothing to do here. The task
 * row exists from the migrations on (QUEUE_TASKS). graphile-worker 0.17's jobs table (the version is
 * pinned; test/queue-jobs.e2e-spec.ts holds the row to add_job's).
 */
export function insertNewRunJob(source: string, priority: string, delayMs: string): string {
  return `
    INSERT INTO graphile_worker._private_jobs (task_id, payload, run_at, max_attempts, key, priority, flags)
    SELECT (SELECT id FROM graphile_worker._private_tasks WHERE identifier = '${EXECUTE_RUN_JOB}'),
      json_build_object('runId', ${source}.id, 'groupId', ${source}.group_id),
      now() + ${delayMs} * interval '1 millisecond', 25, 'run:' || ${source}.id,
      ${priority}, jsonb_build_object('${GROUP_FLAG_PREFIX}' || ${source}.group_id, true)
    FROM ${source} WHERE ${delayMs} IS NOT NULL
    RETURNING id`;
}

/**
 * SQL deleting the `execute_run` jobs no worker holds of the runs of `source` (a CTE with their
 * `id`): those runs were taken without their job (handed off to the instance that created them,
 * LocalRuns). A job a worker locked meanwhile stays; that worker finds its run taken and ends it.
 * The deletion is planned at each call, for the jobs table's size then (the migration
 * delete_run_jobs_planned_per_call says why). It is a SELECT, one row per run: a CTE holding it
 * runs only where the statement reads it.
 */
export function deleteUnlockedRunJobs(source: string): string {
  return `SELECT runloom_delete_unlocked_run_job(${source}.id) AS deleted FROM ${source}`;
}
