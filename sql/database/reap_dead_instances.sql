-- REAP_DEAD_INSTANCES (src/database/instances.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

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
  SELECT graphile_worker.add_job('execute_run', json_build_object('runId', id, 'groupId', group_id),
    job_key := 'run:' || id, flags := ARRAY['group:' || group_id], job_key_mode := 'preserve_run_at') FROM released
)
SELECT ARRAY(SELECT id FROM dead) AS dead, (SELECT count(*)::int FROM unlocked) AS unlocked,
  (SELECT count(*)::int FROM requeued) AS requeued
