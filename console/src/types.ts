/** The API's shapes, as the console reads them (see /docs-json). */

import type { WorkflowDefinition } from '../../src/execution/definition';

export type { EdgeDefinition, NodeDefinition } from '../../src/execution/definition';
export type Definition = WorkflowDefinition;

/** What a key may do, lowest first; `member` is editor's rights under their earlier name. */
export type ApiKeyRole = 'viewer' | 'runner' | 'editor' | 'member' | 'admin';

export interface Workflow {
  id: string;
  group_id: string;
  name: string;
  description: string | null;
  /** The workflow's stable name for code (export/import, the CLI). */
  slug: string | null;
  definition: Definition;
  /** The run input pinned as the workflow's sample (the editor's test-run form starts from it). */
  sample_input: Record<string, unknown> | null;
  revision: number;
  created_at: string;
  updated_at: string;
}

export interface WorkflowVersion {
  id: string;
  workflow_id: string;
  number: number;
  name: string;
  /** The snapshot's message. */
  description: string | null;
  definition: Definition;
  /** The API key that made the snapshot; null when not known. */
  author_key_id: string | null;
  author_key_name: string | null;
  created_at: string;
}

/** `waiting`: parked in a durable wait (WaitNode, SignalNode, a long DelayNode); live, not finished. */
export type RunStatus = 'queued' | 'running' | 'waiting' | 'completed' | 'failed' | 'stopped';

/** Every run status, in lifecycle order. */
export const RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'waiting', 'completed', 'failed', 'stopped'];

export interface RunError {
  node_id: string;
  message: string;
  type: string;
}

export interface Run {
  id: string;
  group_id: string;
  workflow_id: string;
  workflow_version_id: string | null;
  status: RunStatus;
  input: Record<string, unknown>;
  output: Record<string, unknown> | null;
  error: RunError | null;
  debugger: string | null;
  callback_url: string | null;
  progress: number;
  /** The caller's string → string labels; `{}` when none. */
  metadata: Record<string, string>;
  /** The failed or stopped run this run retries (reusing what succeeded there). */
  retry_of: string | null;
  /** The run whose input this run replays. */
  replay_of: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface NodeRun {
  node_id: string;
  node_type: string;
  /** `reused`: taken over unchanged from the run a retry retries (`reused_from`), not executed again. */
  status: string;
  reused_from: string | null;
  inputs: unknown;
  outputs: unknown;
  error: RunError | null;
  attempt: number;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  /** Every execution of the node under its `retry` policy, oldest first. */
  attempts: NodeAttempt[];
  waiting_until: string | null;
  signal: AwaitedSignal | null;
  /** Set while a SignalNode waits: a single-use link that sends the signal without an API key. */
  resume_url: string | null;
}

export interface NodeAttempt {
  /** 1-based. */
  attempt: number;
  /** Why the attempt failed; null for the one that succeeded. */
  error: { type: string; message: string } | null;
}

/** The signal a SignalNode waits for; `schema` null takes any JSON payload. */
export interface AwaitedSignal {
  name: string;
  schema: JsonSchema | null;
}

export type JsonSchema = Record<string, unknown>;

export interface CallbackAttempt {
  id: string;
  message_id: string;
  event_type: string;
  url: string;
  chain: number;
  attempt: number;
  attempted_at: string;
  status_code: number | null;
  error_class: string | null;
  error: string | null;
  duration_ms: number | null;
  next_attempt_at: string | null;
  delivered_at: string | null;
}

/** A page of GET /v1/runs: newest first; `next_cursor` asks for the next one, null at the end. */
export interface CursorPage<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Page<T> {
  items: T[];
  page: number;
  page_size: number;
  total: number;
}

export interface Group {
  id: string;
  name: string;
}

export function isFinished(status: RunStatus | undefined): boolean {
  return status === 'completed' || status === 'failed' || status === 'stopped';
}
