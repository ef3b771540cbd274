-- STOP_UNHELD_RUNS (src/executor/runs.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

WITH ended AS (
  UPDATE runs SET status = 'stopped', finished_at = now(), lease_owner = NULL, lease_expires_at = NULL,
    stop_requested_at = COALESCE(stop_requested_at, now())
  WHERE id = ANY($1::uuid[]) AND status IN ('queued', 'running', 'waiting')
    AND (lease_owner IS NULL OR lease_expires_at < now())
  RETURNING *
),
nodes AS (
  UPDATE node_runs SET status = 'stopped', finished_at = now()
  WHERE run_id IN (SELECT id FROM ended) AND status IN ('running', 'waiting')
),
event AS (
  INSERT INTO run_events (run_id, type, data)
  SELECT id, 'run.stopped', jsonb_build_object('status', 'stopped', 'error', NULL, 'metadata', metadata)
  FROM ended
)
SELECT * FROM ended
