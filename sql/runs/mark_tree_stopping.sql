-- MARK_TREE_STOPPING (src/executor/run-trees.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

WITH RECURSIVE asked AS (
  SELECT id FROM runs WHERE id = $1::uuid AND group_id = $2::uuid
),
tree AS (
  SELECT id FROM asked
  UNION ALL
  SELECT runs.id FROM runs JOIN tree ON runs.parent_run_id = tree.id
)
UPDATE runs SET stop_requested_at = COALESCE(stop_requested_at, now())
WHERE id IN (SELECT id FROM tree) AND status IN ('queued', 'running', 'waiting')
RETURNING id, id IN (SELECT id FROM asked) AS asked
