-- EXHAUST_RUN (src/executor/runs.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

WITH ended AS (
  UPDATE runs SET status = 'failed', finished_at = now(), lease_owner = NULL, lease_expires_at = NULL,
    error = jsonb_build_object('type', 'attempts_exhausted', 'node_id', NULL, 'message',
      format('The run was attempted %s times without finishing (MAX_RUN_ATTEMPTS); last cause: %s', attempt - parks,
        COALESCE(last_failure, 'unknown')))
  WHERE id = $1::uuid AND stop_requested_at IS NULL AND status <> 'waiting' AND attempt - parks >= $2
    AND status IN ('queued', 'running', 'waiting') AND (lease_owner IS NULL OR lease_expires_at < now())
  RETURNING *
),
nodes AS (
  UPDATE node_runs SET status = 'failed', finished_at = now()
  WHERE run_id IN (SELECT id FROM ended) AND status IN ('running', 'waiting')
),
event AS (
  INSERT INTO run_events (run_id, type, data)
  SELECT id, 'run.failed', jsonb_build_object('status', 'failed', 'error', error, 'metadata', metadata)
  FROM ended
)
SELECT * FROM ended
