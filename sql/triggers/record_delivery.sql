-- RECORD_DELIVERY (src/triggers/triggers.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

INSERT INTO trigger_deliveries (trigger_id, delivery_id, expires_at)
VALUES ($1, $2, now() + $3::int * interval '1 second')
ON CONFLICT (trigger_id, delivery_id) DO UPDATE
  SET expires_at = EXCLUDED.expires_at, created_at = now()
WHERE trigger_deliveries.expires_at <= now()
RETURNING 1 AS recorded
