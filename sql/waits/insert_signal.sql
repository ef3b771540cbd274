-- INSERT_SIGNAL (src/waits/waits.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

INSERT INTO run_signals (run_id, name, payload, via)
SELECT id, $2, $3::jsonb, 'api' FROM runs
WHERE id = $1::uuid AND status NOT IN ('completed', 'failed', 'stopped')
RETURNING id, created_at
