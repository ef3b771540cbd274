-- QUEUE_FIRST_ATTEMPT (src/webhooks/webhooks.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

SELECT graphile_worker.add_job('deliver_callback',
  json_build_object('runId', $1::text, 'chain', $2::int, 'attempt', 1), job_key := $3)
