-- PARKED_NODES (src/waits/waits.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

SELECT node_id, waiting_until, waiting_for, resume_token_hash FROM node_runs
WHERE run_id = $1::uuid AND status IN ('waiting', 'running')
  AND (waiting_until IS NOT NULL OR waiting_for IS NOT NULL)
ORDER BY started_at, node_id
