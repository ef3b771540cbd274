import { describeWait } from './components/WaitDetails';
import type { GraphNodeInfo } from './graph/Graph';
import { nodeStatus, type RunState } from './run-state';
import type { Definition } from './types';

const asRecord = (value: unknown) =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** What a run's graph shows on each node's card: status, attempt, wait, streamed text, data, error. */
export function runNodeInfo(definition: Definition, state: RunState): Record<string, GraphNodeInfo> {
  return Object.fromEntries(
    definition.nodes.map((node) => {
      const status = nodeStatus(state, node.id);
      const shown = state.nodes[node.id];
      const info: GraphNodeInfo = {
        status,
        streamed: shown?.streamed || undefined,
        waitingFor: status === 'waiting' ? describeWait(shown) : undefined,
        reusedFrom: shown?.reusedFrom ?? undefined,
        inputs: asRecord(shown?.inputs),
        outputs: asRecord(shown?.outputs),
        error: shown?.error ? `${shown.error.type}: ${shown.error.message}` : undefined,
        attempt: shown?.attempt ? { number: shown.attempt } : undefined,
      };
      return [node.id, info];
    }),
  );
}
