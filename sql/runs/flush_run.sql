-- FLUSH_RUN (src/executor/runs.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

WITH lease AS (
  SELECT id FROM runs WHERE id = $1::uuid AND lease_owner = $9 FOR UPDATE
),
node_rows AS (
  INSERT INTO node_runs (id, run_id, node_id, node_type, status, inputs, outputs, error, attempt, started_at,
    finished_at, duration_ms, attempts, waiting_until, waiting_for, resume_token_hash, reused_from)
  SELECT gen_random_uuid(), lease.id, n.node_id, n.node_type, n.status, n.inputs, n.outputs, n.error, n.attempt,
    n.started_at, n.finished_at, n.duration_ms, n.attempts, n.waiting_until, n.waiting_for, n.resume_token_hash,
    n.reused_from
  FROM lease, jsonb_populate_recordset(NULL::node_runs, $2::jsonb) AS n
  ON CONFLICT (run_id, node_id) DO UPDATE SET node_type = EXCLUDED.node_type, status = EXCLUDED.status,
    inputs = EXCLUDED.inputs, outputs = EXCLUDED.outputs, error = EXCLUDED.error, attempt = EXCLUDED.attempt,
    started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at, duration_ms = EXCLUDED.duration_ms,
    attempts = EXCLUDED.attempts, waiting_until = EXCLUDED.waiting_until, waiting_for = EXCLUDED.waiting_for,
    resume_token_hash = EXCLUDED.resume_token_hash, reused_from = EXCLUDED.reused_from
),
event_rows AS (
  INSERT INTO run_events (run_id, type, data, created_at)
  SELECT lease.id, e.type, e.data, e.created_at
  FROM lease, ROWS FROM (jsonb_populate_recordset(NULL::run_events, $3::jsonb)) WITH ORDINALITY AS e
  ORDER BY e.ordinality
),
run_row AS (
  UPDATE runs SET
    progress = $4,
    status = COALESCE($5::"RunStatus", status),
    output = COALESCE($6::jsonb, output),
    error = COALESCE($7::jsonb, error),
    finished_at = COALESCE($8::timestamptz, finished_at),
    lease_owner = CASE WHEN $8::timestamptz IS NULL THEN lease_owner END,
    lease_expires_at = CASE WHEN $8::timestamptz IS NULL THEN lease_expires_at END
  WHERE id IN (SELECT id FROM lease)
)
SELECT count(*)::int AS held FROM lease
