import { NodeFailure, type WaitRequest } from '../node-type.js';
import { shorten, type SecretRedactor } from '../secret-redactor.js';

/** A run's `error`, as the API shows it. */
export interface RunError {
  node_id: string;
  message: string;
  type: string;
}

/**
 * A run's stored `error`: a node's, or (`node_id` null) the run's as a whole, when its attempts ran
 * out or an internal error struck outside any node.
 */
export type StoredRunError = RunError | { node_id: null; message: string; type: string };

/**
 * Same values as the `NodeRunStatus` enum in the Prisma schema. `reused` is never the engine's: a
 * retry's node run whose output was taken over, which the engine sees as completed.
 */
export const NODE_RUN_STATUSES = [
  'pending',
  'running',
  'waiting',
  'completed',
  'reused',
  'failed',
  'skipped',
  'stopped',
] as const;
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
  /** `waiting`: the run parked (a durable wait) and resumes later; no output yet. */
  status: FinishedRunStatus | 'waiting';
  /** The first failure; null when completed or stopped. */
  error: RunError | null;
  nodes: Map<string, NodeResult>;
  output: Record<string, unknown>;
  /** 0–100: completed and skipped nodes over the nodes planned. */
  progress: number;
  /** The parked nodes and what each waits for; empty unless `waiting`. */
  waiting: ReadonlyMap<string, WaitRequest>;
}

/** What a node that already completed in an earlier attempt left behind (for resuming). */
export interface CompletedNode {
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

/**
 * A node's error message is cut to this many characters, after the run's secrets are masked in
 * it: nodes put whole texts (a URL, a response body) in their errors and never cut them.
 */
export const MAX_ERROR_MESSAGE_LENGTH = 1000;

/**
 * A NodeFailure is meant for the user; anything else thrown by node code is our bug. The message
 * has the run's secrets masked, then is cut to MAX_ERROR_MESSAGE_LENGTH.
 */
export function toRunError(nodeId: string, thrown: unknown, redactor: SecretRedactor | null = null): RunError {
  const failure = thrown instanceof NodeFailure;
  const message = failure || thrown instanceof Error ? thrown.message : String(thrown);
  return {
    node_id: nodeId,
    message: shorten(message || 'unexpected error', MAX_ERROR_MESSAGE_LENGTH, redactor),
    type: failure ? thrown.type : 'internal_error',
  };
}
