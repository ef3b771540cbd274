-- RELEASE_STRANDED_JOBS (src/database/queue.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

UPDATE graphile_worker._private_jobs SET locked_at = NULL, locked_by = NULL
WHERE locked_by = ANY($1::text[]) AND NOT (id::text = ANY($2::text[]))
  AND locked_at < now() - $3 * interval '1 millisecond'
