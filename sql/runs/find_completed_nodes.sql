-- COMPLETED_NODES (src/executor/runs.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

SELECT node_id, node_type, inputs, outputs, COALESCE(reused_from, run_id) AS executed_by
FROM node_runs WHERE run_id = $1::uuid AND status IN ('completed', 'reused')
UNION ALL
SELECT node.node_id, node.node_type, node.inputs, node.outputs, COALESCE(node.reused_from, node.run_id)
FROM runs, LATERAL (
  SELECT runs.id AS run_id, (journal_node.value ->> 0)::text AS node_id, (journal_node.value ->> 1)::text AS node_type,
    (journal_node.value ->> 2)::"NodeRunStatus" AS status, NULLIF((journal_node.value -> 3)::jsonb, 'null') AS inputs,
    NULLIF((journal_node.value -> 4)::jsonb, 'null') AS outputs,
    NULLIF((journal_node.value -> 5)::jsonb, 'null') AS error, (journal_node.value ->> 6)::int AS attempt,
    (journal_node.value ->> 7)::timestamptz AS started_at, (journal_node.value ->> 8)::timestamptz AS finished_at,
    (journal_node.value ->> 9)::int AS duration_ms, NULLIF((journal_node.value -> 10)::jsonb, 'null') AS attempts,
    NULL::timestamptz AS waiting_until, NULL::text AS waiting_for, NULL::text AS resume_token_hash,
    NULL::uuid AS reused_from
  FROM json_array_elements(runs.journal -> 'nodes') AS journal_node
) AS node
WHERE runs.id = $1::uuid AND runs.journal IS NOT NULL AND node.status IN ('completed', 'reused')
