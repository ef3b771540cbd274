-- TAKE_FINISHED_RUN (src/executor/runs.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

WITH taken AS (
  UPDATE runs SET status = $2::"RunStatus", progress = $3, output = $4::jsonb, error = $5::jsonb,
    attempt = 1, started_at = $6, finished_at = $7, journal = $8::json,
    journal_first_event_id = nextval('run_events_id_seq')
  WHERE id = $1::uuid AND status = 'queued' AND attempt = 0 AND lease_owner IS NULL
    AND stop_requested_at IS NULL AND NOT followed
  RETURNING id
),
job AS (DELETE FROM graphile_worker._private_jobs
  WHERE key IN (SELECT 'run:' || taken.id FROM taken) AND locked_at IS NULL)
SELECT (SELECT count(*)::int FROM taken) AS taken, (SELECT followed FROM runs WHERE id = $1::uuid) AS followed
