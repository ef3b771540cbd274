-- QUEUED_OUTSIDE_GROUPS (src/database/queue.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

UPDATE graphile_worker._private_jobs AS jobs SET flags = jsonb_build_object('group:' || runs.group_id, true)
FROM graphile_worker._private_tasks AS tasks, runs
WHERE tasks.id = jobs.task_id AND tasks.identifier = 'execute_run' AND jobs.flags IS NULL
  AND jobs.locked_at IS NULL AND runs.id = (jobs.payload ->> 'runId')::uuid
