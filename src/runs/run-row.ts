import type { Run } from '../generated/prisma/client.js';

/** A `runs` row as `pg` returns it (snake_case columns), mapped to the Prisma model type. */
export function rowToRun(row: Record<string, unknown>): Run {
  return {
    id: row.id,
    groupId: row.group_id,
    workflowId: row.workflow_id,
    workflowVersionId: row.workflow_version_id,
    definition: row.definition,
    status: row.status,
    mode: row.mode,
    input: row.input,
    output: row.output,
    error: row.error,
    nodeIds: row.node_ids,
    singleNodeId: row.single_node_id,
    useOutputIds: row.use_output_ids,
    tracing: row.tracing,
    traceId: row.trace_id,
    traceParent: row.trace_parent,
    debugger: row.debugger,
    callbackUrl: row.callback_url,
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
    progress: row.progress,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    attempt: row.attempt,
    lastFailure: row.last_failure,
    stopRequestedAt: row.stop_requested_at,
    scheduleId: row.schedule_id,
    scheduledFor: row.scheduled_for,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  } as Run;
}
