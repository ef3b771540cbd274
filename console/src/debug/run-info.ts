import type { GraphNodeInfo } from '../components/Graph';
import { describeWait, nodeStatus, type RunState } from '../run-state';
import type { Definition, NodeDefinition, RunError } from '../types';
import { plannedNodeIds, type RunTarget } from './run-target';

/** What a test run adds to a node's card. */
export type DebugNodeInfo = GraphNodeInfo & {
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  error?: string;
  /** Shown as "attempt n of m" when the node may retry. */
  attempt?: { number: number; of?: number };
};

/** The attempts a node gets: its `retry.max_attempts` (3 when a retry policy leaves it out), else 1. */
export function maxAttempts(node: NodeDefinition): number {
  if (!node.retry) return 1;
  const declared = node.retry.max_attempts;
  return typeof declared === 'number' ? declared : 3;
}

/**
 * What the canvas draws on each node of `definition` for a test run of `target`: its status,
 * inputs, outputs, streamed text, error and, when it retries, which attempt of how many. Nodes the
 * run does not execute get nothing, so a single-node run leaves the rest of the canvas as drawn.
 */
export function runInfoOf(definition: Definition, state: RunState, target: RunTarget): Record<string, DebugNodeInfo> {
  const planned = plannedNodeIds(definition, target);
  const info: Record<string, DebugNodeInfo> = {};
  for (const node of definition.nodes) {
    if (!planned.has(node.id)) continue;
    const shown = state.nodes[node.id];
    const status = nodeStatus(state, node.id);
    const of = maxAttempts(node);
    const number = shown?.nodeAttempt ?? 1;
    info[node.id] = {
      status,
      streamed: shown?.streamed || undefined,
      waitingFor: status === 'waiting' ? describeWait(shown) : undefined,
      reusedFrom: shown?.reusedFrom ?? undefined,
      inputs: asValues(shown?.inputs),
      outputs: asValues(shown?.outputs),
      error: describeError(shown?.error ?? (status === 'running' ? shown?.retryError : undefined)),
      attempt: of > 1 || number > 1 ? { number, of } : undefined,
    };
  }
  return info;
}

/** Inputs and outputs are objects by port name; anything else (null for a node that did not get that far) is left out. */
function asValues(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function describeError(error: RunError | null | undefined): string | undefined {
  return error ? `${error.message} (${error.type})` : undefined;
}
