/**
 * The hot-path statements, as data-modifying CTEs so each is one round trip. Events arrive as a
 * JSON array and keep their order (WITH ORDINALITY), so their ids increase as they happened.
 */
export const INSERT_RUN = `
  WITH inserted AS (
    INSERT INTO runs (id, group_id, workflow_id, workflow_version_id, definition, status, mode, input, node_ids,
      single_node_id, use_output_ids, tracing, trace_id, trace_parent, debugger, callback_url, idempotency_key,
      request_hash, progress, lease_owner, lease_expires_at, attempt, created_at, started_at)
    VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::jsonb, $6::"RunStatus", $7::"RunMode", $8::jsonb, $9::jsonb,
      $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)
    RETURNING id
  )
  INSERT INTO run_events (run_id, type, data, created_at)
  SELECT inserted.id, e.type, e.data, e.created_at
  FROM inserted, ROWS FROM (jsonb_to_recordset($25::jsonb) AS (type text, data jsonb, created_at timestamptz))
    WITH ORDINALITY AS e(type, data, created_at, ord)
  ORDER BY e.ord`;

export const FLUSH_RUN = `
  WITH node_rows AS (
    INSERT INTO node_runs (id, run_id, node_id, node_type, status, inputs, outputs, error, attempt, started_at,
      finished_at, duration_ms)
    SELECT gen_random_uuid(), $1::uuid, n.node_id, n.node_type, n.status::"NodeRunStatus", n.inputs, n.outputs,
      n.error, n.attempt, n.started_at, n.finished_at, n.duration_ms
    FROM jsonb_to_recordset($2::jsonb) AS n(node_id text, node_type text, status text, inputs jsonb, outputs jsonb,
      error jsonb, attempt int, started_at timestamptz, finished_at timestamptz, duration_ms int)
    ON CONFLICT (run_id, node_id) DO UPDATE SET status = EXCLUDED.status, inputs = EXCLUDED.inputs,
      outputs = EXCLUDED.outputs, error = EXCLUDED.error, attempt = EXCLUDED.attempt,
      started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at, duration_ms = EXCLUDED.duration_ms
  ),
  event_rows AS (
    INSERT INTO run_events (run_id, type, data, created_at)
    SELECT $1::uuid, e.type, e.data, e.created_at
    FROM ROWS FROM (jsonb_to_recordset($3::jsonb) AS (type text, data jsonb, created_at timestamptz))
      WITH ORDINALITY AS e(type, data, created_at, ord)
    ORDER BY e.ord
  )
  UPDATE runs SET
    progress = $4,
    status = COALESCE($5::"RunStatus", status),
    output = COALESCE($6::jsonb, output),
    error = COALESCE($7::jsonb, error),
    finished_at = COALESCE($8::timestamptz, finished_at),
    lease_owner = CASE WHEN $8::timestamptz IS NULL THEN lease_owner END,
    lease_expires_at = CASE WHEN $8::timestamptz IS NULL THEN lease_expires_at END
  WHERE id = $1::uuid`;
