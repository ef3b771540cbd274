import { NodeFailure } from '../node-type.js';

/** A run's `error`, as the API shows it. */
export interface RunError {
  node_id: string;
  message: string;
  type: string;
}

/** Same values as the `NodeRunStatus` enum in the Prisma schema. */
export const NODE_RUN_STATUSES = ['pending', 'running', 'completed', 'failed', 'skipped', 'stopped'] as const;
export type NodeRunStatus = (typeof NODE_RUN_STATUSES)[number];

export interface NodeResult {
  /**
   * `pending` at the end of a run means "not run" (a failure or stop came first); `stopped` means
   * it was running and got aborted.
   */
  status: NodeRunStatus;
  inputs: Record<string, unknown> | null;
  outputs: Record<string, unknown> | null;
  error: RunError | null;
}

/** How a run ended (the stored run's `RunStatus` has `queued` and `running` too). */
export type FinishedRunStatus = 'completed' | 'failed' | 'stopped';

export interface RunResult {
  status: FinishedRunStatus;
  /** The first failure; null when completed or stopped. */
  error: RunError | null;
  nodes: Map<string, NodeResult>;
  output: Record<string, unknown>;
  /** 0–100: completed and skipped nodes over the nodes planned. */
  progress: number;
}

/** What a node that already completed in an earlier attempt left behind (for resuming). */
export interface CompletedNode {
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

/** A NodeFailure is meant for the user; anything else thrown by node code is our bug. */
export function toRunError(nodeId: string, thrown: unknown): RunError {
  if (thrown instanceof NodeFailure) return { node_id: nodeId, message: thrown.message, type: thrown.type };
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return { node_id: nodeId, message: message || 'unexpected error', type: 'internal_error' };
}
