-- PURGE_EXPIRED_DELIVERIES (src/triggers/triggers.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

DELETE FROM trigger_deliveries WHERE ctid IN (
  SELECT ctid FROM trigger_deliveries WHERE expires_at <= now() LIMIT $1 FOR UPDATE SKIP LOCKED
)
