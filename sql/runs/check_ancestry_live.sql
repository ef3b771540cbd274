-- ANCESTRY_LIVE (src/executor/run-trees.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

WITH RECURSIVE up AS (
  SELECT id, parent_run_id, status, stop_requested_at FROM runs WHERE id = $1::uuid
  UNION ALL
  SELECT runs.id, runs.parent_run_id, runs.status, runs.stop_requested_at
  FROM runs JOIN up ON runs.id = up.parent_run_id
)
SELECT count(*) > 0
  AND bool_and(status IN ('queued', 'running', 'waiting') AND stop_requested_at IS NULL) AS live FROM up
