-- Deletes the `execute_run` job of run `run_id` unless a worker holds it (deleteUnlockedRunJobs in
-- src/database/queue-jobs.ts): a run claimed or taken finished without its job. The statement is
-- planned at every call (EXECUTE), for the size the jobs table has then. Written into the claim's
-- prepared statement, it was planned once per connection and kept: a plan made while the table held
-- a few jobs read it whole (a sequential scan) at every later claim, while it held thousands (600
-- buffers per call at a 5,000-run backlog, the largest PostgreSQL cost of an async run).
CREATE FUNCTION "runloom_delete_unlocked_run_job"("run_id" UUID) RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
  deleted INTEGER;
BEGIN
  EXECUTE 'DELETE FROM graphile_worker._private_jobs WHERE key = $1 AND locked_at IS NULL'
    USING 'run:' || run_id;
  GET DIAGNOSTICS deleted = ROW_COUNT;
  RETURN deleted;
END $$;
