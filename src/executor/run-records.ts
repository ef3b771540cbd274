import type { NodeRun, RunEvent } from '../generated/prisma/client.js';
import type { NodeAttempt, NodeRunStatus } from '../execution/engine/index.js';
import { isoNow } from '../common/iso-now.js';

/**
 * The columns of the records the recorder buffers, by model field: every field of NodeRun and
 * RunEvent but the ids the statements set. A field added to either model does not compile here
 * until it has a column, and the statements (runs.sql.ts) write every column listed.
 */
export const NODE_RUN_RECORD_COLUMNS = {
  nodeId: 'node_id',
  nodeType: 'node_type',
  status: 'status',
  inputs: 'inputs',
  outputs: 'outputs',
  error: 'error',
  attempt: 'attempt',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  durationMs: 'duration_ms',
  attempts: 'attempts',
  waitingUntil: 'waiting_until',
  waitingFor: 'waiting_for',
  resumeTokenHash: 'resume_token_hash',
  reusedFrom: 'reused_from',
} as const satisfies { readonly [Field in Exclude<keyof NodeRun, 'id' | 'runId'>]-?: string };

export const RUN_EVENT_RECORD_COLUMNS = {
  type: 'type',
  data: 'data',
  createdAt: 'created_at',
} as const satisfies { readonly [Field in Exclude<keyof RunEvent, 'id' | 'runId'>]-?: string };

/** A record keyed by its columns: it goes to SQL as a JSON record (timestamps as ISO strings). */
type RecordOf<Columns extends Record<string, string>, Values extends { [Field in keyof Columns]: unknown }> = {
  [Field in keyof Columns as Columns[Field]]: Values[Field];
};

/**
 * `reused_from` is only a retry's reused node runs' (RunRetries): the statements read a record's
 * absent keys as NULL.
 */
export type NodeRunRecord = Omit<NodeRunColumns, 'reused_from'> & Partial<Pick<NodeRunColumns, 'reused_from'>>;

type NodeRunColumns = RecordOf<
  typeof NODE_RUN_RECORD_COLUMNS,
  {
    nodeId: string;
    nodeType: string;
    status: Exclude<NodeRunStatus, 'pending'>;
    inputs: unknown;
    outputs: unknown;
    error: unknown;
    attempt: number;
    startedAt: string | null;
    finishedAt: string | null;
    durationMs: number | null;
    /** Every execution of the node so far (retries under its policy). */
    attempts: NodeAttempt[];
    /** While the node waits (a durable wait): until when, the signal it waits for, its resume link's hash. */
    waitingUntil: string | null;
    waitingFor: string | null;
    resumeTokenHash: string | null;
    reusedFrom: string | null;
  }
>;

export type RunEventRecord = RecordOf<
  typeof RUN_EVENT_RECORD_COLUMNS,
  { type: RunEventType; data: Record<string, unknown>; createdAt: string }
>;

export type RunEventType =
  | 'run.queued'
  | 'run.started'
  | 'node.started'
  | 'node.completed'
  | 'node.failed'
  | 'node.skipped'
  | 'node.retrying'
  | 'node.waiting'
  | 'node.delta'
  | 'run.waiting'
  | 'run.completed'
  | 'run.failed'
  | 'run.stopped';

/** Node inputs and outputs in events are capped so one big value cannot bloat a stream. */
export const EVENT_VALUE_CAP_BYTES = 64 * 1024;

export function capForEvent(value: unknown): unknown {
  if (value === undefined || value === null) return value ?? null;
  const size = Buffer.byteLength(JSON.stringify(value));
  return size <= EVENT_VALUE_CAP_BYTES ? value : { truncated: true, size_bytes: size };
}

export function runEvent(type: RunEventType, data: Record<string, unknown>): RunEventRecord {
  return { type, data, created_at: isoNow() };
}
