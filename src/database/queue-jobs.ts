/**
 * graphile-worker task names, for the task lists and for SQL that queues jobs. The migration's
 * `runs_queue_callback` trigger names `deliver_callback` too: a migration cannot import it.
 */
export const EXECUTE_RUN_JOB = 'execute_run';
/**
 * An `execute_run` job's payload. The group lets a worker share its slots between groups without
 * reading the run first; jobs queued by earlier versions carry only the run id.
 */
export interface ExecuteRunPayload {
  runId: string;
  groupId?: string;
}
export const DELIVER_CALLBACK_JOB = 'deliver_callback';
