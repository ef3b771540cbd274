-- EXPIRED_LEASES (src/executor/runs.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

UPDATE runs SET last_failure = CASE WHEN last_failure LIKE format('attempt %s %%', attempt) THEN last_failure
  ELSE format('attempt %s on instance %s stopped renewing its lease', attempt, lease_owner) END
WHERE id IN (SELECT id FROM runs WHERE status = 'running' AND lease_expires_at < now() LIMIT 100)
RETURNING id, group_id, stop_requested_at IS NOT NULL OR (runs.parent_run_id IS NOT NULL AND EXISTS (
  WITH RECURSIVE up AS (
    SELECT a.id, a.parent_run_id, a.status, a.stop_requested_at FROM runs a WHERE a.id = runs.parent_run_id
    UNION ALL
    SELECT a.id, a.parent_run_id, a.status, a.stop_requested_at FROM runs a JOIN up ON a.id = up.parent_run_id
  )
  SELECT 1 FROM up WHERE up.status NOT IN ('queued', 'running', 'waiting') OR up.stop_requested_at IS NOT NULL
)) AS stop_requested
