-- CLAIM_RUN (src/executor/runs.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

WITH claimed AS (
  UPDATE runs SET status = 'running', lease_owner = $2, lease_expires_at = now() + $3 * interval '1 millisecond',
    attempt = attempt + 1, started_at = COALESCE(started_at, now())
  WHERE id = $1::uuid AND status IN ('queued', 'running', 'waiting') AND stop_requested_at IS NULL
    AND (lease_owner IS NULL OR lease_expires_at < now()) AND attempt - parks < $4
    AND (status <> 'waiting' OR EXISTS (
      SELECT 1 FROM node_runs w
      WHERE w.run_id = runs.id AND w.status = 'waiting'
        AND (w.waiting_until <= now() OR (w.waiting_for IS NOT NULL AND EXISTS (
          SELECT 1 FROM run_signals s
          WHERE s.run_id = w.run_id AND s.name = w.waiting_for AND (s.node_id IS NULL OR s.node_id = w.node_id)
        )))
    )) AND NOT (runs.parent_run_id IS NOT NULL AND EXISTS (
      WITH RECURSIVE up AS (
        SELECT a.id, a.parent_run_id, a.status, a.stop_requested_at FROM runs a WHERE a.id = runs.parent_run_id
        UNION ALL
        SELECT a.id, a.parent_run_id, a.status, a.stop_requested_at FROM runs a JOIN up ON a.id = up.parent_run_id
      )
      SELECT 1 FROM up WHERE up.status NOT IN ('queued', 'running', 'waiting') OR up.stop_requested_at IS NOT NULL
    ))
  RETURNING id, group_id, workflow_id, workflow_version_id, definition, status, mode, input, output, error, node_ids,
    single_node_id, use_output_ids, tracing, trace_id, trace_parent, debugger, callback_url, idempotency_key,
    request_hash, progress, lease_owner, lease_expires_at, attempt, parks, last_failure, stop_requested_at, schedule_id,
    scheduled_for, created_at, started_at, finished_at, parent_run_id, parent_node_id, parent_attempt,
    parent_item_index, depth, root_run_id, followed, retry_of, replay_of, call_path, metadata, trigger_id
),
started AS (
  INSERT INTO run_events (run_id, type, data)
  SELECT id, 'run.started', jsonb_build_object('status', 'running', 'attempt', attempt) FROM claimed
),
job AS (SELECT runloom_delete_unlocked_run_job(claimed.id) AS deleted FROM claimed),
commit_mode AS (SELECT set_config('synchronous_commit', 'off', true) AS async_commit)
SELECT id, group_id, workflow_id, workflow_version_id, definition, status, mode, input, output, error, node_ids,
  single_node_id, use_output_ids, tracing, trace_id, trace_parent, debugger, callback_url, idempotency_key,
  request_hash, progress, lease_owner, lease_expires_at, attempt, parks, last_failure, stop_requested_at, schedule_id,
  scheduled_for, created_at, started_at, finished_at, parent_run_id, parent_node_id, parent_attempt, parent_item_index,
  depth, root_run_id, followed, retry_of, replay_of, call_path, metadata, trigger_id FROM claimed, job, commit_mode
