-- RECORD_ATTEMPT (src/webhooks/webhooks.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

WITH recorded AS (
  INSERT INTO webhook_deliveries (id, run_id, message_id, url, event_type, chain, attempt, status_code, error_class,
    error, duration_ms, response_body, next_attempt_at, delivered_at, created_at)
  VALUES (gen_random_uuid(), $1::uuid, $2, $3, $4, $5::int, $6::int, $7, $8, $9, $10, $11,
    CASE WHEN (SELECT chain FROM webhook_messages WHERE run_id = $1::uuid) = $5::int THEN $12::timestamptz END,
    $13::timestamptz, $14::timestamptz)
  ON CONFLICT (run_id, chain, attempt) DO NOTHING
  RETURNING next_attempt_at
),
next AS (
  SELECT graphile_worker.add_job('deliver_callback',
    json_build_object('runId', $1::uuid, 'chain', $5::int, 'attempt', $6::int + 1),
    run_at := next_attempt_at, job_key := 'callback:' || $1::uuid || ':' || $5::int)
  FROM recorded WHERE next_attempt_at IS NOT NULL
)
SELECT (SELECT count(*)::int FROM recorded) AS recorded, (SELECT count(*)::int FROM next) AS scheduled
