-- LOCK_TREES_FOR_STOP (src/executor/run-trees.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

SELECT pg_advisory_xact_lock(1381322318, key) FROM (
  SELECT DISTINCT hashtext(COALESCE(root_run_id, id)::text) AS key
  FROM runs WHERE id = ANY($1::uuid[]) AND group_id = $2::uuid
  ORDER BY key
) AS trees
