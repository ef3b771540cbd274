/**
 * PostgreSQL NOTIFY channels between instances (docs/architecture.md lists who sends what). The
 * `run_events` trigger of the migrations notifies `runloom_run_events` too, for runs someone
 * follows (RunsRepository.follow) and debugger runs.
 */
export const RUN_EVENTS_CHANNEL = 'runloom_run_events';
export const STOP_CHANNEL = 'runloom_run_stop';
export const API_KEY_CHANGED_CHANNEL = 'runloom_api_key_changed';
export const WORKFLOW_CHANGED_CHANNEL = 'runloom_workflow_changed';
