-- LOCK_GROUP_TRIGGERS (src/triggers/triggers.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

SELECT 1 FROM pg_advisory_xact_lock(hashtext('runloom:triggers:' || $1))
