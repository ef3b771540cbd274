-- PARK_RUN (src/executor/runs.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

WITH lease AS (
  SELECT id, group_id FROM runs WHERE id = $1::uuid AND lease_owner = $6 FOR UPDATE
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
  UPDATE runs SET progress = $4, status = 'waiting', parks = parks + 1, lease_owner = NULL, lease_expires_at = NULL
  WHERE id IN (SELECT id FROM lease)
  RETURNING stop_requested_at IS NOT NULL OR (runs.parent_run_id IS NOT NULL AND EXISTS (
    WITH RECURSIVE up AS (
      SELECT a.id, a.parent_run_id, a.status, a.stop_requested_at FROM runs a WHERE a.id = runs.parent_run_id
      UNION ALL
      SELECT a.id, a.parent_run_id, a.status, a.stop_requested_at FROM runs a JOIN up ON a.id = up.parent_run_id
    )
    SELECT 1 FROM up WHERE up.status NOT IN ('queued', 'running', 'waiting') OR up.stop_requested_at IS NOT NULL
  )) AS stop_requested
),
wake AS (
  SELECT graphile_worker.add_job('execute_run', json_build_object('runId', id::text, 'groupId', group_id::text),
    job_key := 'run:' || id::text, flags := ARRAY['group:' || group_id::text], run_at := $5::timestamptz,
    job_key_mode := 'replace')
  FROM lease WHERE $5::timestamptz IS NOT NULL
)
SELECT (SELECT count(*)::int FROM lease) AS held, (SELECT count(*)::int FROM wake) AS woken,
  COALESCE((SELECT stop_requested FROM run_row), false) AS stop_requested
