import { queueRunJob } from './queue-jobs.js';

/** Refreshes this instance's heartbeat and the worker ids its queue runners use now. */
export const HEARTBEAT = `
  INSERT INTO instances (id, role, worker_ids) VALUES ($1, $2, $3::text[])
  ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), worker_ids = EXCLUDED.worker_ids`;

/**
 * Removes instances whose heartbeat is older than $1 ms (they died), and in the same statement
 * releases what they held: their graphile-worker job locks (graphile-worker's own
 * `force_unlock_workers`, so prefetched and in-flight jobs, runs and callbacks, are taken at once
 * instead of after its 4-hour lock timeout) and their run leases, whose runs are queued again.
 */
export const REAP_DEAD_INSTANCES = `
  WITH dead AS (
    DELETE FROM instances WHERE heartbeat_at < now() - $1 * interval '1 millisecond'
    RETURNING id, worker_ids
  ),
  unlocked AS (
    SELECT graphile_worker.force_unlock_workers(ARRAY(SELECT unnest(worker_ids) FROM dead))
    WHERE EXISTS (SELECT 1 FROM dead)
  ),
  released AS (
    UPDATE runs SET lease_expires_at = now() - interval '1 millisecond',
      last_failure = format('attempt %s was on instance %s, which died (its heartbeat stopped)', attempt, lease_owner)
    WHERE lease_owner IN (SELECT id FROM dead) AND status = 'running'
    RETURNING id, group_id
  ),
  requeued AS (
    SELECT ${queueRunJob('id', 'group_id', "job_key_mode := 'preserve_run_at'")} FROM released
  )
  SELECT ARRAY(SELECT id FROM dead) AS dead, (SELECT count(*)::int FROM unlocked) AS unlocked,
    (SELECT count(*)::int FROM requeued) AS requeued`;

/**
 * A clean exit: the instance's row goes, and any job its stopped queues still had locked (a
 * completion that failed during shutdown) is released with it.
 */
export const FORGET_INSTANCE = `
  WITH gone AS (DELETE FROM instances WHERE id = $1 RETURNING worker_ids)
  SELECT graphile_worker.force_unlock_workers(ARRAY(SELECT unnest(worker_ids) FROM gone))
  WHERE EXISTS (SELECT 1 FROM gone)`;
