-- INSERT_RUNS_WITHIN_LIMIT (src/executor/runs.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

WITH new_runs AS (
  SELECT element.place, element.value -> 'events' AS events, element.value -> 'nodes' AS nodes,
    (element.value ->> 'job_delay_ms')::int AS job_delay_ms, (element.value ->> 'default_limit')::int AS default_limit,
    (count(*) OVER (PARTITION BY run.group_id ORDER BY element.place))::int - 1 AS ahead_in_statement, run.*
  FROM json_array_elements($1::json) WITH ORDINALITY AS element(value, place),
    json_populate_record(NULL::runs, element.value) AS run
),
room AS (
  SELECT new_runs.group_id,
    COALESCE((SELECT (limits ->> 'max_active_runs')::int FROM groups WHERE id = new_runs.group_id), min(new_runs.default_limit)) AS limit_value,
    (SELECT COALESCE(sum(live), 0)::int FROM group_live_runs WHERE group_id = new_runs.group_id) AS active
  FROM new_runs GROUP BY new_runs.group_id
),
inserted AS (
  INSERT INTO runs (id, group_id, workflow_id, workflow_version_id, definition, status, mode, input, output, error,
    node_ids, single_node_id, use_output_ids, tracing, trace_id, trace_parent, debugger, callback_url, idempotency_key,
    request_hash, progress, lease_owner, lease_expires_at, attempt, parks, schedule_id, scheduled_for, created_at,
    started_at, finished_at, parent_run_id, parent_node_id, parent_attempt, parent_item_index, depth, root_run_id,
    followed, retry_of, replay_of, call_path, metadata, trigger_id)
  SELECT new_runs.id, new_runs.group_id, new_runs.workflow_id, new_runs.workflow_version_id, new_runs.definition -> 0,
    new_runs.status, new_runs.mode, new_runs.input -> 0, new_runs.output -> 0, new_runs.error -> 0,
    new_runs.node_ids -> 0, new_runs.single_node_id, new_runs.use_output_ids, new_runs.tracing, new_runs.trace_id,
    new_runs.trace_parent, new_runs.debugger, new_runs.callback_url, new_runs.idempotency_key, new_runs.request_hash,
    new_runs.progress, new_runs.lease_owner, new_runs.lease_expires_at, new_runs.attempt, new_runs.parks,
    new_runs.schedule_id, new_runs.scheduled_for, new_runs.created_at, new_runs.started_at, new_runs.finished_at,
    new_runs.parent_run_id, new_runs.parent_node_id, new_runs.parent_attempt, new_runs.parent_item_index,
    new_runs.depth, new_runs.root_run_id, new_runs.followed, new_runs.retry_of, new_runs.replay_of, new_runs.call_path,
    new_runs.metadata -> 0, new_runs.trigger_id
  FROM new_runs JOIN room ON room.group_id = new_runs.group_id
  WHERE room.active + new_runs.ahead_in_statement < room.limit_value
  ORDER BY new_runs.place
  -- a repeated idempotency key, or a schedule's tick another instance started
  ON CONFLICT DO NOTHING
  RETURNING id, group_id
),
created AS (
  SELECT new_runs.id, new_runs.group_id, new_runs.events, new_runs.nodes, new_runs.job_delay_ms
  FROM new_runs JOIN inserted ON inserted.id = new_runs.id
),
node_rows AS (
  INSERT INTO node_runs (id, run_id, node_id, node_type, status, inputs, outputs, error, attempt, started_at,
    finished_at, duration_ms, attempts, waiting_until, waiting_for, resume_token_hash, reused_from)
  SELECT gen_random_uuid(), created.id, n.node_id, n.node_type, n.status, n.inputs, n.outputs, n.error, n.attempt,
    n.started_at, n.finished_at, n.duration_ms, n.attempts, n.waiting_until, n.waiting_for, n.resume_token_hash,
    n.reused_from
  FROM created, jsonb_populate_recordset(NULL::node_runs, created.nodes::jsonb) AS n
  ON CONFLICT (run_id, node_id) DO UPDATE SET node_type = EXCLUDED.node_type, status = EXCLUDED.status,
    inputs = EXCLUDED.inputs, outputs = EXCLUDED.outputs, error = EXCLUDED.error, attempt = EXCLUDED.attempt,
    started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at, duration_ms = EXCLUDED.duration_ms,
    attempts = EXCLUDED.attempts, waiting_until = EXCLUDED.waiting_until, waiting_for = EXCLUDED.waiting_for,
    resume_token_hash = EXCLUDED.resume_token_hash, reused_from = EXCLUDED.reused_from
),
events AS (
  INSERT INTO run_events (run_id, type, data, created_at)
  SELECT created.id, e.type, e.data, e.created_at
  FROM created, ROWS FROM (jsonb_populate_recordset(NULL::run_events, created.events::jsonb)) WITH ORDINALITY AS e
  ORDER BY e.ordinality
),
job AS (
  INSERT INTO graphile_worker._private_jobs (task_id, payload, run_at, max_attempts, key, priority, flags)
  SELECT (SELECT id FROM graphile_worker._private_tasks WHERE identifier = 'execute_run'),
    json_build_object('runId', created.id, 'groupId', created.group_id),
    now() + created.job_delay_ms * interval '1 millisecond', 25, 'run:' || created.id,
    CASE WHEN created.job_delay_ms > 0 THEN 0 ELSE (
      SELECT count(*)::int FROM (
        SELECT FROM runs WHERE runs.group_id = created.group_id AND runs.status = 'queued' LIMIT 1000
      ) AS ahead
    ) END, jsonb_build_object('group:' || created.group_id, true)
  FROM created WHERE created.job_delay_ms IS NOT NULL
  RETURNING id
)
SELECT new_runs.id, inserted.id IS NOT NULL AS inserted, room.active + new_runs.ahead_in_statement AS active,
  room.limit_value
FROM new_runs JOIN room ON room.group_id = new_runs.group_id LEFT JOIN inserted ON inserted.id = new_runs.id
