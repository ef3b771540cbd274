-- RETRIED_CHILD_RUNS (src/executor/runs.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

WITH RECURSIVE retried(id, distance) AS (
  SELECT retry_of, 1 FROM runs WHERE id = $1::uuid AND retry_of IS NOT NULL
  UNION ALL
  SELECT runs.retry_of, retried.distance + 1 FROM runs JOIN retried ON runs.id = retried.id
  WHERE runs.retry_of IS NOT NULL AND retried.distance < 100
)
SELECT child.* FROM retried JOIN runs child ON child.parent_run_id = retried.id
WHERE child.parent_node_id = $2 AND child.status IN ('completed', 'failed', 'stopped')
ORDER BY retried.distance
