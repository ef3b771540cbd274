-- INSERT_JOURNALED_RUN (src/executor/runs.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

INSERT INTO runs (id, group_id, workflow_id, workflow_version_id, definition, status, mode, input, output, error,
  node_ids, single_node_id, use_output_ids, tracing, trace_id, trace_parent, debugger, callback_url, idempotency_key,
  request_hash, progress, lease_owner, lease_expires_at, attempt, parks, schedule_id, scheduled_for, created_at,
  started_at, finished_at, parent_run_id, parent_node_id, parent_attempt, parent_item_index, depth, root_run_id,
  followed, retry_of, replay_of, call_path, metadata, trigger_id, journal, journal_first_event_id)
VALUES ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25,
  $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39, $40, $41, $42, $43, $1::json,
  nextval('run_events_id_seq'))
-- an earlier insert of this run committed unseen
ON CONFLICT DO NOTHING
