import { nodeLabel } from '../definition.js';
import { OUTPUT_NODE_TYPE, type RunPlan } from './run-plan.js';
import type { NodeResult } from './run-result.js';

export interface OutputOptions {
  /** Key OutputNode values by node id instead of label (`use_output_ids`). */
  useOutputIds?: boolean;
}

type FinishedNode = Pick<NodeResult, 'status' | 'inputs' | 'outputs'>;

/**
 * The run's `output`: one entry per OutputNode that completed; with `node_ids`, a
 * listed node that is not an OutputNode adds its outputs under its id; with `single_node_id`,
 * that node's outputs by connector. Nodes that did not complete contribute nothing.
 */
export function assembleOutput(
  plan: RunPlan,
  results: ReadonlyMap<string, FinishedNode>,
  { useOutputIds = false }: OutputOptions = {},
): Record<string, unknown> {
  const output: Record<string, unknown> = {};
  const listed = new Set(plan.requestedNodeIds ?? []);
  for (const node of plan.nodes.values()) {
    const result = results.get(node.id);
    if (result?.status !== 'completed') continue;
    if (node.type === OUTPUT_NODE_TYPE) {
      // An OutputNode has no output connectors: what it shows is the value it was fed.
      output[useOutputIds ? node.id : nodeLabel(node)] = result.inputs?.value;
    } else if (plan.singleNodeId === node.id) {
      return { ...result.outputs };
    } else if (listed.has(node.id)) {
      output[node.id] = { ...result.outputs };
    }
  }
  return output;
}
