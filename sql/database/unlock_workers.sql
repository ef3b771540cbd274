-- UNLOCK_WORKERS (src/database/queue.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

SELECT graphile_worker.force_unlock_workers($1::text[])
