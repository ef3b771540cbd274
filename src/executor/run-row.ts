import type { Run } from '../generated/prisma/client.js';
import { type ColumnMap, column, decodeRow, jsonColumn, sharedJsonColumn } from '../database/sql-columns.js';

/** The `runs` table's columns, for the statements in runs.sql.ts and webhooks.sql.ts. */
export const RUN_COLUMNS: ColumnMap<Run> = {
  id: column('id'),
  groupId: column('group_id'),
  workflowId: column('workflow_id'),
  workflowVersionId: column('workflow_version_id'),
  // RunnableDefinitions' object, shared by the runs of a version
  definition: sharedJsonColumn('definition'),
  status: column('status'),
  mode: column('mode'),
  input: jsonColumn('input'),
  output: jsonColumn('output'),
  error: jsonColumn('error'),
  nodeIds: jsonColumn('node_ids'),
  singleNodeId: column('single_node_id'),
  useOutputIds: column('use_output_ids'),
  tracing: column('tracing'),
  traceId: column('trace_id'),
  traceParent: column('trace_parent'),
  debugger: column('debugger'),
  callbackUrl: column('callback_url'),
  idempotencyKey: column('idempotency_key'),
  requestHash: column('request_hash'),
  progress: column('progress'),
  leaseOwner: column('lease_owner'),
  leaseExpiresAt: column('lease_expires_at'),
  attempt: column('attempt'),
  parks: column('parks'),
  lastFailure: column('last_failure'),
  stopRequestedAt: column('stop_requested_at'),
  scheduleId: column('schedule_id'),
  scheduledFor: column('scheduled_for'),
  createdAt: column('created_at'),
  startedAt: column('started_at'),
  finishedAt: column('finished_at'),
  parentRunId: column('parent_run_id'),
  parentNodeId: column('parent_node_id'),
  parentAttempt: column('parent_attempt'),
  parentItemIndex: column('parent_item_index'),
  depth: column('depth'),
  rootRunId: column('root_run_id'),
  followed: column('followed'),
  retryOf: column('retry_of'),
  replayOf: column('replay_of'),
  callPath: column('call_path'),
  metadata: jsonColumn('metadata'),
  triggerId: column('trigger_id'),
};

/** A `runs` row as `pg` returns it (`RETURNING *`, `SELECT r.*`), as the Prisma model. */
export function rowToRun(row: Record<string, unknown>): Run {
  return decodeRow(RUN_COLUMNS, row);
}
