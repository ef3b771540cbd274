-- PURGE_RUNS (src/runs/retention/retention.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

WITH doomed AS (
  SELECT id, COALESCE(json_array_length(runs.journal -> 'nodes'), 0) AS journal_nodes,
    COALESCE(json_array_length(runs.journal -> 'events'), 0) AS journal_events
  FROM runs
  WHERE status IN ('completed', 'failed', 'stopped') AND finished_at < $3
    AND ($1::uuid IS NULL OR id = $1::uuid) AND ($2::uuid IS NULL OR group_id = $2::uuid)
  ORDER BY finished_at LIMIT $4
  FOR UPDATE SKIP LOCKED
),
counted AS (
  SELECT
    ((SELECT count(*) FROM node_runs WHERE run_id IN (SELECT id FROM doomed))
      + (SELECT COALESCE(sum(journal_nodes), 0) FROM doomed))::int AS node_runs,
    ((SELECT count(*) FROM run_events WHERE run_id IN (SELECT id FROM doomed))
      + (SELECT COALESCE(sum(journal_events), 0) FROM doomed))::int AS run_events,
    (SELECT count(*) FROM webhook_deliveries WHERE run_id IN (SELECT id FROM doomed))::int AS callback_attempts
),
deleted AS (
  DELETE FROM runs WHERE id IN (SELECT id FROM doomed) RETURNING id
)
SELECT (SELECT count(*) FROM deleted)::int AS runs, counted.* FROM counted
