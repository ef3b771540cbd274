-- PURGE_RUNS (src/runs/retention/retention.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

WITH doomed AS (
  SELECT id, group_id, workflow_id, status, created_at, finished_at,
    COALESCE(json_array_length(runs.journal -> 'nodes'), 0) AS journal_nodes,
    COALESCE(json_array_length(runs.journal -> 'events'), 0) AS journal_events
  FROM runs
  WHERE status IN ('completed', 'failed', 'stopped') AND finished_at < $3
    AND ($1::uuid IS NULL OR id = $1::uuid) AND ($2::uuid IS NULL OR group_id = $2::uuid)
  ORDER BY finished_at LIMIT $4
  FOR UPDATE SKIP LOCKED
),
counted AS (
  SELECT d.id, d.group_id, d.workflow_id, d.status, d.created_at, d.finished_at,
    ((SELECT count(*) FROM node_runs n WHERE n.run_id = d.id) + d.journal_nodes)::int AS node_runs,
    ((SELECT count(*) FROM run_events e WHERE e.run_id = d.id) + d.journal_events)::int AS run_events,
    (SELECT count(*) FROM webhook_deliveries w WHERE w.run_id = d.id)::int AS callback_attempts
  FROM doomed d
),
deleted AS (
  DELETE FROM runs WHERE id IN (SELECT id FROM doomed) RETURNING id
),
audited AS (
  INSERT INTO audit_events (actor, key_id, key_name, group_id, action, target_type, target_id, before, after)
  SELECT e.actor, e.key_id, k.name, e.group_id, e.action, e.target_type, e.target_id, e.before, e.after
  FROM (
    SELECT $5::text AS actor, $6::uuid AS key_id, c.group_id, 'run.deleted' AS action, 'run' AS target_type,
      c.id::text AS target_id,
      jsonb_build_object('workflow_id', c.workflow_id, 'status', c.status, 'created_at', c.created_at,
        'finished_at', c.finished_at, 'node_runs', c.node_runs, 'run_events', c.run_events,
        'callback_attempts', c.callback_attempts) AS before,
      NULL::jsonb AS after
    FROM counted c WHERE $1::uuid IS NOT NULL
    UNION ALL
    SELECT $5::text, $6::uuid, c.group_id, 'retention.purged', 'runs', NULL, NULL,
      jsonb_build_object('finished_before', $3::timestamptz, 'runs', count(*), 'node_runs', sum(c.node_runs),
        'run_events', sum(c.run_events), 'callback_attempts', sum(c.callback_attempts))
    FROM counted c WHERE $1::uuid IS NULL GROUP BY c.group_id
  ) AS e LEFT JOIN api_keys k ON k.id = e.key_id
)
SELECT (SELECT count(*) FROM deleted)::int AS runs,
  COALESCE(sum(node_runs), 0)::int AS node_runs,
  COALESCE(sum(run_events), 0)::int AS run_events,
  COALESCE(sum(callback_attempts), 0)::int AS callback_attempts
FROM counted
