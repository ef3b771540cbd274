-- CLEAR_PLANNED_ATTEMPTS (src/webhooks/webhooks.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

UPDATE webhook_deliveries SET next_attempt_at = NULL
WHERE run_id = $1::uuid AND chain < $2 AND next_attempt_at IS NOT NULL
