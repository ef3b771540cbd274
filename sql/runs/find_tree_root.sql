-- TREE_ROOT (src/executor/run-trees.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

SELECT COALESCE(root_run_id, id) AS root FROM runs WHERE id = $1::uuid AND group_id = $2::uuid
