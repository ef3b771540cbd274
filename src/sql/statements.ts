import * as groupUsage from '../database/group-usage.sql.js';
import * as instances from '../database/instances.sql.js';
import * as queue from '../database/queue.sql.js';
import * as retention from '../runs/retention/retention.sql.js';
import * as runTrees from '../executor/run-trees.sql.js';
import * as runs from '../executor/runs.sql.js';
import * as schedules from '../schedules/schedules.sql.js';
import * as triggers from '../triggers/triggers.sql.js';
import * as webhooks from '../webhooks/webhooks.sql.js';
import * as waits from '../waits/waits.sql.js';

/** The names of a module's exports that are strings: its statements. */
type StatementName<Module> = { [Name in keyof Module]: Module[Name] extends string ? Name : never }[keyof Module] &
  string;

/** A module of statements, each written to `sql/<folder>/<operation>.sql`. */
export interface StatementModule {
  folder: string;
  /** The module's path in the repository, for the files' headers. */
  source: string;
  exports: Record<string, unknown>;
  /** Operation name → the constant that holds its statement. */
  statements: Record<string, string>;
}

function statementModule<Module extends object>(
  folder: string,
  source: string,
  exports: Module,
  statements: Record<string, StatementName<Module>>,
): StatementModule {
  return { folder, source, exports: exports as Record<string, unknown>, statements };
}

/**
 * Every statement the run, queue, callback and schedule paths send, by operation. `npm run sql`
 * writes each to sql/, and sql-files.spec.ts fails until the checked-in text matches (and when a
 * string one of these modules exports is not listed here).
 */
export const STATEMENT_MODULES: StatementModule[] = [
  statementModule('runs', 'src/executor/runs.sql.ts', runs, {
    insert_run: 'INSERT_RUN',
    insert_runs_within_limit: 'INSERT_RUNS_WITHIN_LIMIT',
    insert_journaled_runs: 'INSERT_JOURNALED_RUNS',
    flush_run: 'FLUSH_RUN',
    park_run: 'PARK_RUN',
    claim_run: 'CLAIM_RUN',
    take_finished_runs: 'TAKE_FINISHED_RUNS',
    renew_lease: 'RENEW_LEASE',
    release_lease: 'RELEASE_LEASE',
    record_failure: 'RECORD_FAILURE',
    exhaust_run: 'EXHAUST_RUN',
    stop_unheld_runs: 'STOP_UNHELD_RUNS',
    note_expired_leases: 'EXPIRED_LEASES',
    find_completed_nodes: 'COMPLETED_NODES',
    find_unfinished_node_attempts: 'UNFINISHED_NODE_ATTEMPTS',
    find_child_runs: 'CHILD_RUNS',
    find_retried_child_runs: 'RETRIED_CHILD_RUNS',
    enqueue_run: 'ENQUEUE_RUN',
    enqueue_run_later: 'ENQUEUE_RUN_LATER',
    find_unfinished_run_group: 'UNFINISHED_RUN_GROUP',
    check_run_exists: 'RUN_EXISTS',
  }),
  statementModule('runs', 'src/executor/run-trees.sql.ts', runTrees, {
    find_tree_root: 'TREE_ROOT',
    lock_tree_for_child: 'LOCK_TREE_FOR_CHILD',
    check_ancestry_live: 'ANCESTRY_LIVE',
    count_descendants: 'DESCENDANT_COUNT',
    lock_tree_for_stop: 'LOCK_TREE_FOR_STOP',
    mark_tree_stopping: 'MARK_TREE_STOPPING',
    lock_trees_for_stop: 'LOCK_TREES_FOR_STOP',
    mark_trees_stopping: 'MARK_TREES_STOPPING',
  }),
  statementModule('waits', 'src/waits/waits.sql.ts', waits, {
    wake_if_due: 'WAKE_IF_DUE',
    take_signal: 'TAKE_SIGNAL',
    find_parked_nodes: 'PARKED_NODES',
    find_signalled_run: 'SIGNALLED_RUN',
    insert_signal: 'INSERT_SIGNAL',
    find_linked_wait: 'LINKED_WAIT',
    insert_linked_signal: 'INSERT_LINKED_SIGNAL',
  }),
  statementModule('runs', 'src/runs/retention/retention.sql.ts', retention, {
    purge_runs: 'PURGE_RUNS',
    purge_audit_events: 'PURGE_AUDIT_EVENTS',
    purge_idempotency_keys: 'PURGE_IDEMPOTENCY_KEYS',
  }),
  statementModule('webhooks', 'src/webhooks/webhooks.sql.ts', webhooks, {
    load_callback: 'LOAD_CALLBACK',
    record_attempt: 'RECORD_ATTEMPT',
    start_callback_chain: 'START_CALLBACK_CHAIN',
    clear_planned_attempts: 'CLEAR_PLANNED_ATTEMPTS',
    remove_callback_job: 'REMOVE_CALLBACK_JOB',
    queue_first_attempt: 'QUEUE_FIRST_ATTEMPT',
  }),
  statementModule('schedules', 'src/schedules/schedules.sql.ts', schedules, {
    take_due_schedules: 'TAKE_DUE_SCHEDULES',
    move_schedules_on: 'MOVE_SCHEDULES_ON',
    find_run_for_tick: 'RUN_FOR_TICK',
    lock_group_schedules: 'LOCK_GROUP_SCHEDULES',
    count_group_schedules: 'COUNT_GROUP_SCHEDULES',
  }),
  statementModule('triggers', 'src/triggers/triggers.sql.ts', triggers, {
    lock_group_triggers: 'LOCK_GROUP_TRIGGERS',
    count_group_triggers: 'COUNT_GROUP_TRIGGERS',
    record_delivery: 'RECORD_DELIVERY',
    forget_delivery: 'FORGET_DELIVERY',
    purge_expired_deliveries: 'PURGE_EXPIRED_DELIVERIES',
  }),
  statementModule('database', 'src/database/instances.sql.ts', instances, {
    record_heartbeat: 'HEARTBEAT',
    reap_dead_instances: 'REAP_DEAD_INSTANCES',
    forget_instance: 'FORGET_INSTANCE',
  }),
  statementModule('database', 'src/database/queue.sql.ts', queue, {
    release_stranded_jobs: 'RELEASE_STRANDED_JOBS',
    unlock_workers: 'UNLOCK_WORKERS',
    flag_jobs_queued_outside_groups: 'QUEUED_OUTSIDE_GROUPS',
    insert_queue_tasks: 'QUEUE_TASKS',
    make_run_jobs_due_now: 'RUN_JOBS_DUE_NOW',
  }),
  statementModule('database', 'src/database/group-usage.sql.ts', groupUsage, {
    count_group_usage: 'GROUP_USAGE',
  }),
];
