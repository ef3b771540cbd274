import type { GraphNodeInfo } from './graph/Graph';
import { describeWait, nodeStatus, type RunState } from './run-state';
import type { Definition, NodeDefinition } from './types';

const asRecord = (value: unknown) =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** The attempts a node gets: its `retry.max_attempts` (3 when a retry policy leaves it out), else 1. */
export function maxAttempts(node: NodeDefinition): number {
  if (!node.retry) return 1;
  const declared = node.retry.max_attempts;
  return typeof declared === 'number' ? declared : 3;
}

/**
 * What a run's graph shows on each node's card: status, attempt (of how many its retry policy
 * allows), wait, streamed text, data, and the error — while a retry runs, the last attempt's.
 */
export function runNodeInfo(definition: Definition, state: RunState): Record<string, GraphNodeInfo> {
  return Object.fromEntries(
    definition.nodes.map((node) => {
      const status = nodeStatus(state, node.id);
      const shown = state.nodes[node.id];
      const error = shown?.error ?? (status === 'running' ? shown?.retryError : undefined);
      const of = maxAttempts(node);
      const number = shown?.nodeAttempt ?? 1;
      const info: GraphNodeInfo = {
        status,
        streamed: shown?.streamed || undefined,
        waitingFor: status === 'waiting' ? describeWait(shown) : undefined,
        reusedFrom: shown?.reusedFrom ?? undefined,
        inputs: asRecord(shown?.inputs),
        outputs: asRecord(shown?.outputs),
        error: error ? `${error.type}: ${error.message}` : undefined,
        attempt: of > 1 || number > 1 ? { number, of } : undefined,
      };
      return [node.id, info];
    }),
  );
}
