import type { NodeAttempt, NodeRunStatus } from '../execution/engine/index.js';

/** Rows the recorder buffers before writing them (snake_case: they go to SQL as JSON records). */
export interface NodeRunRecord {
  node_id: string;
  node_type: string;
  status: Exclude<NodeRunStatus, 'pending'>;
  inputs: unknown;
  outputs: unknown;
  error: unknown;
  attempt: number;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  /** Every execution of the node so far (retries under its policy). */
  attempts: NodeAttempt[];
}

export interface RunEventRecord {
  type: RunEventType;
  data: Record<string, unknown>;
  created_at: string;
}

export type RunEventType =
  | 'run.queued'
  | 'run.started'
  | 'node.started'
  | 'node.completed'
  | 'node.failed'
  | 'node.skipped'
  | 'node.retrying'
  | 'node.delta'
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
  return { type, data, created_at: new Date().toISOString() };
}
