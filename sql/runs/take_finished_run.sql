-- TAKE_FINISHED_RUN (src/executor/runs.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

WITH current AS (
  -- Locked first, so a follower's mark committed meanwhile is seen here as by the update. Only
  -- while queued: a run stopped meanwhile is not taken, and locking it would make a DELETE of it
  -- (which skips locked rows) answer 409.
  SELECT id, followed FROM runs WHERE id = $1::uuid AND status = 'queued' FOR UPDATE
),
taken AS (
  UPDATE runs SET status = $2::"RunStatus", progress = $3, output = $4::jsonb, error = $5::jsonb,
    attempt = 1, started_at = $6, finished_at = $7, journal = $8::json,
    journal_first_event_id = nextval('run_events_id_seq')
  FROM current
  -- runs.id = $1 as well as the join: the planner cannot see the CTE's id, and once took the
  -- partial index of queued runs for the status, reading the group's whole line per take.
  WHERE runs.id = $1::uuid AND runs.id = current.id AND NOT current.followed
    AND runs.status = 'queued' AND runs.attempt = 0 AND runs.lease_owner IS NULL AND runs.stop_requested_at IS NULL
  RETURNING runs.id
),
job AS (SELECT runloom_delete_unlocked_run_job(taken.id) AS deleted FROM taken)
SELECT (SELECT count(*)::int FROM taken) AS taken, (SELECT followed FROM current) AS followed,
  (SELECT count(*)::int FROM job) AS jobs_deleted
