/**
 * Save-time bound on the child runs one run of a definition can create: a MapNode starts up to
 * `max_items` children, a WorkflowNode one, and each child brings the children of the workflow it
 * runs. The bound follows the calls as they are when the definition is saved (a called draft can
 * change later, and a retried node starts new children per attempt): the run-time limit,
 * MAX_DESCENDANT_RUNS, holds either way.
 */
import type { WorkflowDefinition } from '../../execution/definition.js';
import { DEFAULT_MAP_ITEMS } from '../../execution/nodes/map-node.js';
import { workflowCalls, type LoadDefinition, type WorkflowCall } from './child-workflow-references.js';
import type { DefinitionProblem } from './definition-problem.js';

/** The most child runs below a definition, and the call chain that contributes most of them. */
interface Bound {
  runs: number;
  chain: string[];
}

/**
 * A problem for the call of `definition` (saved as a draft whose calls were checked: they exist,
 * do not recurse and nest within the depth limit) that can start more than `limit` child runs.
 */
export async function checkDescendantBound(
  definition: WorkflowDefinition,
  load: LoadDefinition,
  limit: number,
): Promise<DefinitionProblem[]> {
  const bounds = new Map<string, Promise<Bound>>();

  const boundOf = async (called: WorkflowDefinition): Promise<Bound> => {
    let runs = 0;
    let largest: Bound = { runs: 0, chain: [] };
    for (const call of workflowCalls(called)) {
      const below = await callBound(called, call);
      runs += below.runs;
      if (below.runs > largest.runs) largest = below;
    }
    return { runs, chain: largest.chain };
  };

  /** The children one call starts, with theirs. */
  const callBound = async (caller: WorkflowDefinition, call: WorkflowCall): Promise<Bound> => {
    const key = `${call.workflowId}:${call.versionId ?? 'draft'}`;
    let below = bounds.get(key);
    if (!below) {
      below = load(call.workflowId, call.versionId).then((child) => (child ? boundOf(child) : { runs: 0, chain: [] }));
      bounds.set(key, below);
    }
    const { runs, chain } = await below;
    const node = caller.nodes[call.nodeIndex];
    const items = node.type === 'MapNode' ? mapItems(node.config) : 1;
    const step = node.type === 'MapNode' ? `"${node.id}" (MapNode, ${items} items)` : `"${node.id}" (WorkflowNode)`;
    return { runs: items * (1 + runs), chain: [`${step} → workflow ${call.workflowId}`, ...chain] };
  };

  const problems: DefinitionProblem[] = [];
  let total = 0;
  let largest: { call: WorkflowCall; bound: Bound } | undefined;
  for (const call of workflowCalls(definition)) {
    const bound = await callBound(definition, call);
    total += bound.runs;
    if (!largest || bound.runs > largest.bound.runs) largest = { call, bound };
  }
  if (largest && total > limit) {
    const node = definition.nodes[largest.call.nodeIndex];
    const field = `definition.nodes[${largest.call.nodeIndex}].config.${node.type === 'MapNode' ? 'max_items' : 'workflow_id'}`;
    problems.push({
      field,
      message:
        `one run can start up to ${total} child runs, more than MAX_DESCENDANT_RUNS (${limit}); ` +
        `most through ${largest.bound.chain.join(' → ')}: lower max_items along it`,
    });
  }
  return problems;
}

function mapItems(config: Record<string, unknown> | undefined): number {
  const items = config?.max_items;
  return typeof items === 'number' ? items : DEFAULT_MAP_ITEMS;
}
