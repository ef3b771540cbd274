import type { GraphNodeInfo } from '../graph/Graph';
import { runNodeInfo } from '../run-info';
import type { RunState } from '../run-state';
import type { Definition } from '../types';
import { plannedNodeIds, type RunTarget } from './run-target';

/**
 * What the editor's canvas draws on each node for a test run of `target`: the run graph's card
 * info, for the nodes the run executes only, so a single-node run leaves the rest as drawn.
 */
export function testRunInfo(definition: Definition, state: RunState, target: RunTarget): Record<string, GraphNodeInfo> {
  const planned = plannedNodeIds(definition, target);
  return Object.fromEntries(Object.entries(runNodeInfo(definition, state)).filter(([nodeId]) => planned.has(nodeId)));
}
