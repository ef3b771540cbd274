-- CHILD_RUNS (src/executor/runs.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

SELECT * FROM runs WHERE parent_run_id = $1::uuid AND parent_node_id = $2
