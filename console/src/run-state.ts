import { formatTime } from './hooks';
import type { StreamEvent } from './sse';
import { isFinished, type JsonSchema, type NodeRun, type RunError, type RunStatus } from './types';

/**
 * A node as the console shows it; `queued` until it starts, `not run` when the run ended first,
 * `reused` when a retry took its outputs over from the run it retries.
 */
export type NodeStatus =
  'queued' | 'running' | 'waiting' | 'completed' | 'reused' | 'failed' | 'skipped' | 'stopped' | 'not run';

export interface NodeState {
  status: NodeStatus;
  nodeType?: string;
  inputs?: unknown;
  outputs?: unknown;
  error?: RunError | null;
  durationMs?: number | null;
  attempt?: number;
  /** The node's execution under its `retry` policy (1-based); unknown until it is retried or read. */
  nodeAttempt?: number;
  /** While a retry waits or runs: why the previous execution failed. */
  retryError?: RunError | null;
  startedAt?: string | null;
  finishedAt?: string | null;
  /** Text streamed by `node.delta` events (LLM tokens), in order. */
  streamed: string;
  skipReason?: string;
  /** When the node's wait ends (or, for a SignalNode, times out); null when it waits for a signal only. */
  waitingUntil?: string | null;
  /** The signal a SignalNode waits for; its schema is unknown (undefined) until the node runs are read. */
  signal?: { name: string; schema?: JsonSchema | null } | null;
  resumeUrl?: string | null;
  /** For a reused node: the run whose outputs it took over. */
  reusedFrom?: string | null;
}

export interface RunState {
  status?: RunStatus;
  error?: RunError | null;
  nodes: Record<string, NodeState>;
}

export const EMPTY_RUN_STATE: RunState = { nodes: {} };

const NODE_STATUS_FROM_RECORD: Record<string, NodeStatus> = {
  pending: 'queued',
  running: 'running',
  waiting: 'waiting',
  completed: 'completed',
  reused: 'reused',
  failed: 'failed',
  skipped: 'skipped',
  stopped: 'stopped',
};

/** The stored record of every node run (GET /v1/runs/{id}/nodes). */
export function withNodeRuns(state: RunState, nodeRuns: NodeRun[]): RunState {
  const nodes = { ...state.nodes };
  for (const record of nodeRuns) {
    nodes[record.node_id] = {
      streamed: nodes[record.node_id]?.streamed ?? '',
      status: NODE_STATUS_FROM_RECORD[record.status] ?? 'queued',
      nodeType: record.node_type,
      inputs: record.inputs,
      outputs: record.outputs,
      error: record.error,
      durationMs: record.duration_ms,
      attempt: record.attempt,
      startedAt: record.started_at,
      finishedAt: record.finished_at,
      reusedFrom: record.reused_from,
      nodeAttempt: record.attempts.length || undefined,
      ...waitDetails(record),
    };
  }
  return { ...state, nodes };
}

/**
 * Only what the node runs say of waits (a SignalNode's schema is in no event), for nodes waiting
 * when read: statuses stay as the events left them, which may be newer than this read.
 */
export function withWaitDetails(state: RunState, nodeRuns: NodeRun[]): RunState {
  return nodeRuns
    .filter((record) => record.status === 'waiting')
    .reduce((current, record) => updateNode(current, { node_id: record.node_id }, waitDetails(record)), state);
}

function waitDetails(record: NodeRun): Partial<NodeState> {
  return { waitingUntil: record.waiting_until, signal: record.signal, resumeUrl: record.resume_url };
}

/** Folds one event of a run's stream (or of a debugger session) into the run's state. */
export function applyEvent(state: RunState, event: StreamEvent): RunState {
  const data = event.data;
  const timestamp = typeof data.timestamp === 'string' ? data.timestamp : undefined;
  switch (event.event) {
    case 'run.queued':
      return { ...state, status: state.status ?? 'queued' };
    case 'run.started':
      return { ...state, status: 'running' };
    case 'run.completed':
      return { ...state, status: 'completed' };
    case 'run.failed':
      return { ...state, status: 'failed', error: (data.error as RunError | undefined) ?? state.error };
    case 'run.stopped':
      return { ...state, status: 'stopped' };
    case 'run.waiting':
      return { ...state, status: 'waiting' };
    case 'node.started':
      return updateNode(state, data, {
        status: 'running',
        nodeType: data.node_type as string,
        inputs: data.inputs,
        startedAt: timestamp,
        finishedAt: null,
        attempt: typeof data.attempt === 'number' ? data.attempt : undefined,
        streamed: '',
      });
    case 'node.completed':
      return updateNode(state, data, {
        status: 'completed',
        outputs: data.outputs,
        durationMs: data.duration_ms as number,
        finishedAt: timestamp,
        ...(data.inputs !== undefined ? { inputs: data.inputs } : {}),
      });
    case 'node.failed':
      return updateNode(state, data, {
        status: 'failed',
        error: data.error as RunError,
        durationMs: data.duration_ms as number,
        finishedAt: timestamp,
        nodeAttempt: typeof data.attempts === 'number' && data.attempts > 0 ? data.attempts : undefined,
        ...(data.inputs !== undefined ? { inputs: data.inputs } : {}),
      });
    case 'node.retrying':
      return updateNode(state, data, {
        status: 'running',
        nodeAttempt: data.next_attempt as number,
        retryError: { node_id: data.node_id as string, ...(data.error as { type: string; message: string }) },
        streamed: '',
      });
    case 'node.waiting':
      return updateNode(state, data, {
        status: 'waiting',
        waitingUntil: (data.waiting_until as string | null | undefined) ?? null,
        signal: typeof data.signal === 'string' ? awaited(state, data.node_id as string, data.signal) : null,
        resumeUrl: (data.resume_url as string | undefined) ?? null,
      });
    case 'node.skipped':
      return updateNode(state, data, { status: 'skipped', skipReason: data.reason as string, finishedAt: timestamp });
    case 'node.delta': {
      const nodeId = data.node_id as string;
      const node = state.nodes[nodeId] ?? { status: 'running', streamed: '' };
      const text = typeof data.text === 'string' ? data.text : '';
      return { ...state, nodes: { ...state.nodes, [nodeId]: { ...node, streamed: node.streamed + text } } };
    }
    default:
      return state;
  }
}

/** The signal a `node.waiting` event names, with its schema when the node runs told it already. */
function awaited(state: RunState, nodeId: string, name: string): NodeState['signal'] {
  const known = state.nodes[nodeId]?.signal;
  return known?.name === name ? known : { name };
}

function updateNode(state: RunState, data: Record<string, unknown>, change: Partial<NodeState>): RunState {
  const nodeId = data.node_id as string;
  const node = state.nodes[nodeId] ?? { status: 'queued', streamed: '' };
  const defined = Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined));
  return { ...state, nodes: { ...state.nodes, [nodeId]: { ...node, ...defined } } };
}

const FINAL_EVENTS = new Set(['run.completed', 'run.failed', 'run.stopped']);

/** The run's last event: its stream ends after it. */
export function isFinalEvent(event: StreamEvent): boolean {
  return FINAL_EVENTS.has(event.event);
}

/** What to show for a node with no record yet. */
export function nodeStatus(state: RunState, nodeId: string): NodeStatus {
  const known = state.nodes[nodeId]?.status;
  if (known) return known;
  return isFinished(state.status) ? 'not run' : 'queued';
}

/** What a waiting node waits for, in a few words (shown on its graph node). */
export function describeWait(node: NodeState | undefined): string | undefined {
  const parts = [
    node?.signal && `for signal “${node.signal.name}”`,
    node?.waitingUntil && `until ${formatTime(node.waitingUntil)}`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : undefined;
}
