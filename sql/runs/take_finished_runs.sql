-- TAKE_FINISHED_RUNS (src/executor/runs.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

WITH finished AS (
  SELECT run.id, run.status, run.progress, run.output -> 0 AS output, run.error -> 0 AS error, run.started_at,
    run.finished_at, run.journal
  FROM json_array_elements($2::json) AS element(value), json_populate_record(NULL::runs, element.value) AS run
),
current AS (
  -- Locked first, so a follower's mark committed meanwhile is seen here as by the update. Only
  -- while queued: a run stopped meanwhile is not taken, and locking it would make a DELETE of it
  -- (which skips locked rows) answer 409.
  SELECT id, followed FROM runs WHERE id = ANY($1::uuid[]) AND status::text = 'queued' ORDER BY id FOR UPDATE
),
taken AS (
  UPDATE runs SET status = finished.status, progress = finished.progress, output = finished.output,
    error = finished.error, attempt = 1, started_at = finished.started_at,
    finished_at = finished.finished_at, journal = finished.journal,
    journal_first_event_id = nextval('run_events_id_seq')
  FROM current, finished
  -- runs.id = ANY($1) as well as the join: the planner cannot see the CTE's ids.
  WHERE runs.id = ANY($1::uuid[]) AND runs.id = current.id AND finished.id = current.id AND NOT current.followed
    AND runs.status::text = 'queued' AND runs.attempt = 0 AND runs.lease_owner IS NULL
    AND runs.stop_requested_at IS NULL
  RETURNING runs.id
),
job AS (SELECT runloom_delete_unlocked_run_job(taken.id) AS deleted FROM taken)
SELECT finished.id, taken.id IS NOT NULL AS taken, COALESCE(current.followed, false) AS followed,
  (SELECT count(*)::int FROM job) AS jobs_deleted
FROM finished LEFT JOIN current ON current.id = finished.id LEFT JOIN taken ON taken.id = finished.id
