-- RUN_JOBS_DUE_NOW (src/database/queue.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

UPDATE graphile_worker._private_jobs SET run_at = now()
WHERE key IN (SELECT 'run:' || id FROM unnest($1::text[]) AS id) AND locked_at IS NULL
