/**
 * Releases the jobs worker ids $1 have held locked for over $3 ms without running them (they run
 * the job ids $2). graphile-worker leaves such a lock when the statement that took the job
 * committed but its answer was lost (the connection broke), or when marking a job failed broke:
 * its worker carries on, and the job would wait for the 4-hour lock timeout. (graphile-worker
 * 0.17's jobs table; the version is pinned.)
 */
export const RELEASE_STRANDED_JOBS = `
  UPDATE graphile_worker._private_jobs SET locked_at = NULL, locked_by = NULL
  WHERE locked_by = ANY($1::text[]) AND NOT (id::text = ANY($2::text[]))
    AND locked_at < now() - $3 * interval '1 millisecond'`;

/** Every job worker ids $1 hold goes back to the queue (graphile-worker's own function). */
export const UNLOCK_WORKERS = 'SELECT graphile_worker.force_unlock_workers($1::text[])';
