-- PURGE_IDEMPOTENCY_KEYS (src/runs/retention/retention.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

WITH expired AS (
  SELECT id FROM runs WHERE idempotency_key IS NOT NULL AND created_at < $1
  LIMIT $2 FOR UPDATE SKIP LOCKED
)
UPDATE runs SET idempotency_key = NULL, request_hash = NULL FROM expired WHERE runs.id = expired.id
