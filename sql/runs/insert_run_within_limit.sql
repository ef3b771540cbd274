-- INSERT_RUN_WITHIN_LIMIT (src/executor/runs.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

WITH room AS (
  SELECT COALESCE((SELECT (limits ->> 'max_active_runs')::int FROM groups WHERE id = $6::uuid), $4::int) AS limit_value
),
active AS (
  SELECT (SELECT COALESCE(sum(live), 0)::int FROM group_live_runs WHERE group_id = $6::uuid) AS active
),
inserted AS (
  INSERT INTO runs (id, group_id, workflow_id, workflow_version_id, definition, status, mode, input, output, error,
    node_ids, single_node_id, use_output_ids, tracing, trace_id, trace_parent, debugger, callback_url, idempotency_key,
    request_hash, progress, lease_owner, lease_expires_at, attempt, parks, schedule_id, scheduled_for, created_at,
    started_at, finished_at, parent_run_id, parent_node_id, parent_attempt, parent_item_index, depth, root_run_id,
    followed, retry_of, replay_of, call_path, metadata, trigger_id)
  SELECT $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27,
    $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39, $40, $41, $42, $43, $44, $45, $46
  WHERE (SELECT active FROM active) < (SELECT limit_value FROM room)
  -- a repeated idempotency key, or a schedule's tick another instance started
  ON CONFLICT DO NOTHING
  RETURNING id, group_id
),
node_rows AS (
  INSERT INTO node_runs (id, run_id, node_id, node_type, status, inputs, outputs, error, attempt, started_at,
    finished_at, duration_ms, attempts, waiting_until, waiting_for, resume_token_hash, reused_from)
  SELECT gen_random_uuid(), inserted.id, n.node_id, n.node_type, n.status, n.inputs, n.outputs, n.error, n.attempt,
    n.started_at, n.finished_at, n.duration_ms, n.attempts, n.waiting_until, n.waiting_for, n.resume_token_hash,
    n.reused_from
  FROM inserted, jsonb_populate_recordset(NULL::node_runs, $3::jsonb) AS n
  ON CONFLICT (run_id, node_id) DO UPDATE SET node_type = EXCLUDED.node_type, status = EXCLUDED.status,
    inputs = EXCLUDED.inputs, outputs = EXCLUDED.outputs, error = EXCLUDED.error, attempt = EXCLUDED.attempt,
    started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at, duration_ms = EXCLUDED.duration_ms,
    attempts = EXCLUDED.attempts, waiting_until = EXCLUDED.waiting_until, waiting_for = EXCLUDED.waiting_for,
    resume_token_hash = EXCLUDED.resume_token_hash, reused_from = EXCLUDED.reused_from
),
events AS (
  INSERT INTO run_events (run_id, type, data, created_at)
  SELECT inserted.id, e.type, e.data, e.created_at
  FROM inserted, ROWS FROM (jsonb_populate_recordset(NULL::run_events, $1::jsonb)) WITH ORDINALITY AS e
  ORDER BY e.ordinality
),
job AS (
  INSERT INTO graphile_worker._private_jobs (task_id, payload, run_at, max_attempts, key, priority, flags)
  SELECT (SELECT id FROM graphile_worker._private_tasks WHERE identifier = 'execute_run'),
    json_build_object('runId', inserted.id, 'groupId', inserted.group_id),
    now() + $2::int * interval '1 millisecond', 25, 'run:' || inserted.id,
    CASE WHEN $2::int > 0 THEN 0 ELSE (
      SELECT count(*)::int FROM (
        SELECT FROM runs WHERE runs.group_id = inserted.group_id AND runs.status = 'queued' LIMIT 1000
      ) AS ahead
    ) END, jsonb_build_object('group:' || inserted.group_id, true)
  FROM inserted WHERE $2::int IS NOT NULL
  RETURNING id
)
SELECT (SELECT count(*)::int FROM inserted) AS inserted, (SELECT count(*)::int FROM job) AS enqueued,
  (SELECT active FROM active) AS active, (SELECT limit_value FROM room) AS limit_value
