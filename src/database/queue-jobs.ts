/**
 * graphile-worker task names, for the task lists and for SQL that queues jobs. The migration's
 * `runs_queue_callback` trigger names `deliver_callback` too: a migration cannot import it.
 */
export const EXECUTE_RUN_JOB = 'execute_run';
export const DELIVER_CALLBACK_JOB = 'deliver_callback';

/**
 * An `execute_run` job's payload. The group lets a worker share its slots between groups without
 * reading the run first; jobs queued by earlier versions carry only the run id.
 */
export interface ExecuteRunPayload {
  runId: string;
  groupId?: string;
}

/**
 * SQL that queues a run's `execute_run` job (one per run, by its job key). `runId` and `groupId`
 * are SQL expressions, columns or parameters; `options` are add_job's further named arguments.
 */
export function queueRunJob(runId: string, groupId: string, options?: string): string {
  const payload = `json_build_object('runId', ${runId}, 'groupId', ${groupId})`;
  return `graphile_worker.add_job('${EXECUTE_RUN_JOB}', ${payload}, job_key := 'run:' || ${runId}${options ? `, ${options}` : ''})`;
}
