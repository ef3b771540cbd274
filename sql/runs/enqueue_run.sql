-- ENQUEUE_RUN (src/executor/runs.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

SELECT graphile_worker.add_job('execute_run', json_build_object('runId', $1::text, 'groupId', $2::text),
  job_key := 'run:' || $1::text, flags := ARRAY['group:' || $2::text], job_key_mode := 'preserve_run_at')
