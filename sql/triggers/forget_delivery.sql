-- FORGET_DELIVERY (src/triggers/triggers.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

DELETE FROM trigger_deliveries WHERE trigger_id = $1 AND delivery_id = $2
