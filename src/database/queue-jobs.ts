/**
 * graphile-worker task names, for the task lists and for SQL that queues jobs. The migration's
 * `runs_queue_callback` trigger names `deliver_callback` too: a migration cannot import it.
 */
export const EXECUTE_RUN_JOB = 'execute_run';
export const DELIVER_CALLBACK_JOB = 'deliver_callback';
