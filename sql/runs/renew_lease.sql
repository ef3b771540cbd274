-- RENEW_LEASE (src/executor/runs.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

UPDATE runs SET lease_expires_at = now() + $3 * interval '1 millisecond'
WHERE id = $1::uuid AND lease_owner = $2
RETURNING stop_requested_at IS NOT NULL OR (runs.parent_run_id IS NOT NULL AND EXISTS (
  WITH RECURSIVE up AS (
    SELECT a.id, a.parent_run_id, a.status, a.stop_requested_at FROM runs a WHERE a.id = runs.parent_run_id
    UNION ALL
    SELECT a.id, a.parent_run_id, a.status, a.stop_requested_at FROM runs a JOIN up ON a.id = up.parent_run_id
  )
  SELECT 1 FROM up WHERE up.status NOT IN ('queued', 'running', 'waiting') OR up.stop_requested_at IS NOT NULL
)) AS stop_requested
