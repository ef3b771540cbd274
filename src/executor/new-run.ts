import { randomUUID } from 'node:crypto';
import type { Run } from '../generated/prisma/client.js';
import { INSTANCE_ID } from '../database/instance-id.js';
import { LEASE_MS } from './run-lease.js';
import { runEvent, type RunEventRecord } from './run-records.js';

type Required = 'groupId' | 'workflowId' | 'workflowVersionId' | 'definition' | 'mode' | 'input';

/**
 * A new run row: queued for a worker, or (`runsHere`) already running under this instance's lease,
 * with its first events. API runs and child runs are both made here.
 */
export function newRun(
  fields: Pick<Run, Required> & Partial<Run>,
  runsHere: boolean,
): { run: Run; events: RunEventRecord[] } {
  const now = new Date();
  const run: Run = {
    id: randomUUID(),
    status: runsHere ? 'running' : 'queued',
    output: null,
    error: null,
    nodeIds: null,
    singleNodeId: null,
    useOutputIds: false,
    tracing: false,
    traceId: null,
    traceParent: null,
    debugger: null,
    callbackUrl: null,
    idempotencyKey: null,
    requestHash: null,
    progress: 0,
    leaseOwner: runsHere ? INSTANCE_ID : null,
    leaseExpiresAt: runsHere ? new Date(now.getTime() + LEASE_MS) : null,
    attempt: runsHere ? 1 : 0,
    parks: 0,
    lastFailure: null,
    stopRequestedAt: null,
    scheduleId: null,
    scheduledFor: null,
    createdAt: now,
    startedAt: runsHere ? now : null,
    finishedAt: null,
    parentRunId: null,
    parentNodeId: null,
    parentAttempt: null,
    parentItemIndex: null,
    depth: 0,
    rootRunId: null,
    followed: false,
    retryOf: null,
    replayOf: null,
    callPath: null,
    metadata: {},
    triggerId: null,
    ...fields,
  };
  const events = [runEvent('run.queued', { status: 'queued', metadata: run.metadata })];
  if (runsHere) events.push(runEvent('run.started', { status: 'running', attempt: 1 }));
  return { run, events };
}
