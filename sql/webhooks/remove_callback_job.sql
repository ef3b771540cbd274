-- REMOVE_CALLBACK_JOB (src/webhooks/webhooks.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

SELECT graphile_worker.remove_job($1)
