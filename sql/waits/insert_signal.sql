-- INSERT_SIGNAL (src/waits/waits.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

WITH run AS (SELECT id, status FROM runs WHERE id = $1::uuid),
stored AS (
  INSERT INTO run_signals (run_id, name, payload, via)
  SELECT id, $2, $3::jsonb, 'api' FROM run WHERE status NOT IN ('completed', 'failed', 'stopped')
  RETURNING id, created_at
)
SELECT run.status, stored.id, stored.created_at FROM run LEFT JOIN stored ON true
