import { EXECUTE_RUN_JOB, GROUP_FLAG_PREFIX } from './queue-jobs.js';

/**
 * Releases the jobs worker ids $1 have held locked for over $3 ms without running them (they run
 * the job ids $2). graphile-worker leaves such a lock when the statement that took the job
 * committed but its answer was lost (the connection broke), or when marking a job failed broke:
 * its worker carries on, and the job would wait for the 4-hour lock timeout. (graphile-worker
 * 0.17's jobs table; the version is pinned.)
 */
export const RELEASE_STRANDED_JOBS = `
  UPDATE graphile_worker._private_jobs SET locked_at = NULL, locked_by = NULL
  WHERE locked_by = ANY($1::text[]) AND NOT (id::text = ANY($2::text[]))
    AND locked_at < now() - $3 * interval '1 millisecond'`;

/** Every job worker ids $1 hold goes back to the queue (graphile-worker's own function). */
export const UNLOCK_WORKERS = 'SELECT graphile_worker.force_unlock_workers($1::text[])';

/**
 * Gives `execute_run` jobs queued without a group flag (by versions before the fetch gate) their
 * run's group flag, so the gate keeps them too; a job a worker holds is left alone. Run when a
 * worker starts: jobs an older instance queues later (a rolling upgrade) are fetched ungated, and
 * RunWorker sends them back with their flag when their group is full. (graphile-worker 0.17's
 * jobs table, whose `flags` is a jsonb object of flag → true.)
 */
export const QUEUED_OUTSIDE_GROUPS = `
  UPDATE graphile_worker._private_jobs AS jobs SET flags = jsonb_build_object('${GROUP_FLAG_PREFIX}' || runs.group_id, true)
  FROM graphile_worker._private_tasks AS tasks, runs
  WHERE tasks.id = jobs.task_id AND tasks.identifier = '${EXECUTE_RUN_JOB}' AND jobs.flags IS NULL
    AND jobs.locked_at IS NULL AND runs.id = (jobs.payload ->> 'runId')::uuid`;

/**
 * graphile-worker's task row of `execute_run`, which insertNewRunJob looks up (add_job would make
 * it itself). Written with the migrations, so an API instance can queue runs before any worker ran.
 */
export const QUEUE_TASKS = `
  INSERT INTO graphile_worker._private_tasks (identifier) VALUES ('${EXECUTE_RUN_JOB}') ON CONFLICT DO NOTHING`;

/** $1: run ids. Their `execute_run` jobs that no worker holds fall due now (LocalRuns gave the runs back). */
export const RUN_JOBS_DUE_NOW = `
  UPDATE graphile_worker._private_jobs SET run_at = now()
  WHERE key IN (SELECT 'run:' || id FROM unnest($1::text[]) AS id) AND locked_at IS NULL`;
