import { isDeepStrictEqual } from 'node:util';
import type { EdgeDefinition, NodeDefinition, WorkflowDefinition } from '../definition.js';
import type { ResolvedRunInput } from './run-input.js';
import { INPUT_NODE_TYPE, type PlannedNode, type RunPlan } from './run-plan.js';
import type { CompletedNode } from './run-result.js';

/** What a retry may take over: the definition the retried run executed and its completed nodes. */
export interface RetrySource {
  definition: WorkflowDefinition;
  completed: ReadonlyMap<string, CompletedNode>;
}

/** The parts of a node's definition that decide what it does (its id is the key). */
const BEHAVIOUR: readonly (keyof NodeDefinition)[] = [
  'type',
  'config',
  'retry',
  'timeout_ms',
  'on_error',
  'default_outputs',
];

/**
 * The nodes of a retry's plan whose outputs are taken over from the run it retries instead of
 * executing again: each completed there, has the same definition there (type, config, policies),
 * is fed along the same edges by nodes taken over in turn, and, for an InputNode, has the same
 * run input value. `forced` nodes (and so everything downstream of them) execute again, and so do
 * the nodes of a single-node run. The rest follows: a changed node, or one whose input changed,
 * executes again with everything downstream; nothing else does.
 */
export function reusableNodes(
  plan: RunPlan,
  input: ResolvedRunInput,
  source: RetrySource,
  forced: ReadonlySet<string> = new Set(),
): Set<string> {
  const reusable = new Set<string>();
  if (plan.singleNodeId !== null) return reusable;
  const nodesNow = new Map(plan.definition.nodes.map((node) => [node.id, node]));
  const sourceNodes = new Map(source.definition.nodes.map((node) => [node.id, node]));
  const decided = new Map<string, boolean>();

  const canReuse = (node: PlannedNode): boolean => {
    const known = decided.get(node.id);
    if (known !== undefined) return known;
    const before = sourceNodes.get(node.id);
    const completed = source.completed.get(node.id);
    const answer =
      before !== undefined &&
      completed !== undefined &&
      !forced.has(node.id) &&
      sameBehaviour(nodesNow.get(node.id)!, before) &&
      sameEdges(node.incoming, incomingEdges(source.definition, node.id)) &&
      (node.type !== INPUT_NODE_TYPE ||
        isDeepStrictEqual(input.inputNodeValues.get(node.id), completed.outputs.value)) &&
      node.incoming.every((edge) => canReuse(plan.nodes.get(edge.from.node_id)!));
    decided.set(node.id, answer);
    return answer;
  };

  for (const node of plan.nodes.values()) if (canReuse(node)) reusable.add(node.id);
  return reusable;
}

function sameBehaviour(now: NodeDefinition, before: NodeDefinition): boolean {
  return BEHAVIOUR.every((key) => isDeepStrictEqual(now[key], before[key]));
}

function incomingEdges(definition: WorkflowDefinition, nodeId: string): EdgeDefinition[] {
  return definition.edges.filter((edge) => edge.to.node_id === nodeId);
}

function sameEdges(now: readonly EdgeDefinition[], before: readonly EdgeDefinition[]): boolean {
  const key = (edge: EdgeDefinition) => `${edge.from.node_id}.${edge.from.output}>${edge.to.input}`;
  const keys = new Set(before.map(key));
  return now.length === before.length && now.every((edge) => keys.has(key(edge)));
}
