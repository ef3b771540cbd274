-- WAKE_IF_DUE (src/waits/waits.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

SELECT graphile_worker.add_job('execute_run', json_build_object('runId', r.id::text, 'groupId', r.group_id::text),
  job_key := 'run:' || r.id::text, flags := ARRAY['group:' || r.group_id::text], job_key_mode := 'replace')
FROM runs r
WHERE r.id = $1::uuid AND r.status = 'waiting' AND EXISTS (
  SELECT 1 FROM node_runs w
  WHERE w.run_id = r.id AND w.status = 'waiting'
    AND (w.waiting_until <= now() OR (w.waiting_for IS NOT NULL AND EXISTS (
      SELECT 1 FROM run_signals s
      WHERE s.run_id = w.run_id AND s.name = w.waiting_for AND (s.node_id IS NULL OR s.node_id = w.node_id)
    )))
)
