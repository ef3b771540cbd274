-- INSERT_JOURNALED_RUNS (src/executor/runs.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

INSERT INTO runs (id, group_id, workflow_id, workflow_version_id, definition, status, mode, input, output, error,
  node_ids, single_node_id, use_output_ids, tracing, trace_id, trace_parent, debugger, callback_url, idempotency_key,
  request_hash, progress, lease_owner, lease_expires_at, attempt, parks, schedule_id, scheduled_for, created_at,
  started_at, finished_at, parent_run_id, parent_node_id, parent_attempt, parent_item_index, depth, root_run_id,
  followed, retry_of, replay_of, call_path, metadata, trigger_id, journal, journal_first_event_id)
SELECT run.id, run.group_id, run.workflow_id, run.workflow_version_id, run.definition -> 0, run.status, run.mode,
  run.input -> 0, run.output -> 0, run.error -> 0, run.node_ids -> 0, run.single_node_id, run.use_output_ids,
  run.tracing, run.trace_id, run.trace_parent, run.debugger, run.callback_url, run.idempotency_key, run.request_hash,
  run.progress, run.lease_owner, run.lease_expires_at, run.attempt, run.parks, run.schedule_id, run.scheduled_for,
  run.created_at, run.started_at, run.finished_at, run.parent_run_id, run.parent_node_id, run.parent_attempt,
  run.parent_item_index, run.depth, run.root_run_id, run.followed, run.retry_of, run.replay_of, run.call_path,
  run.metadata -> 0, run.trigger_id, run.journal, nextval('run_events_id_seq')
FROM json_array_elements($1::json) WITH ORDINALITY AS element(value, place),
  json_populate_record(NULL::runs, element.value) AS run
ORDER BY element.place
ON CONFLICT DO NOTHING
RETURNING id
