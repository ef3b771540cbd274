import type { StreamEvent } from './sse';
import type { NodeRun, RunError, RunStatus } from './types';

/** A node as the console shows it; `queued` until it starts, `not run` when the run ended first. */
export type NodeStatus = 'queued' | 'running' | 'completed' | 'failed' | 'skipped' | 'stopped' | 'not run';

export interface NodeState {
  status: NodeStatus;
  nodeType?: string;
  inputs?: unknown;
  outputs?: unknown;
  error?: RunError | null;
  durationMs?: number | null;
  attempt?: number;
  startedAt?: string | null;
  finishedAt?: string | null;
  /** Text streamed by `node.delta` events (LLM tokens), in order. */
  streamed: string;
  skipReason?: string;
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
  completed: 'completed',
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
    };
  }
  return { ...state, nodes };
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
        ...(data.inputs !== undefined ? { inputs: data.inputs } : {}),
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
  return state.status === undefined || state.status === 'queued' || state.status === 'running' ? 'queued' : 'not run';
}
