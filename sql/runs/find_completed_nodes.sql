-- COMPLETED_NODES (src/executor/runs.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

SELECT node_id, node_type, inputs, outputs, COALESCE(reused_from, run_id) AS executed_by
FROM node_runs WHERE run_id = $1::uuid AND status IN ('completed', 'reused')
