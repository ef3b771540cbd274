/**
 * Save-time checks of the workflows a definition calls (WorkflowNode, MapNode): each must exist in
 * the group, and following the calls must neither come back to the workflow being saved
 * (recursion) nor nest deeper than child runs may. Runs check the depth again, since a called
 * workflow can change after this one is saved.
 */
import type { WorkflowDefinition } from '../../execution/definition.js';
import { CHILD_RUN_NODE_TYPES, MAX_WORKFLOW_DEPTH } from '../../execution/nodes/child-workflow.js';
import type { DefinitionProblem } from './definition-problem.js';

/** Stops a pathological web of workflows from costing unbounded reads on one save. */
const MAX_LOOKUPS = 200;

export interface WorkflowCall {
  nodeIndex: number;
  workflowId: string;
  /** Null calls the draft. */
  versionId: string | null;
}

/** Reads one callable definition of the group: a draft (versionId null) or a version; null when there is none. */
export type LoadDefinition = (workflowId: string, versionId: string | null) => Promise<WorkflowDefinition | null>;

export function workflowCalls(definition: WorkflowDefinition): WorkflowCall[] {
  const calls: WorkflowCall[] = [];
  definition.nodes.forEach((node, nodeIndex) => {
    if (!CHILD_RUN_NODE_TYPES.has(node.type) || typeof node.config?.workflow_id !== 'string') return;
    const version = node.config.workflow_version_id;
    calls.push({
      nodeIndex,
      workflowId: node.config.workflow_id.toLowerCase(),
      versionId: typeof version === 'string' ? version.toLowerCase() : null,
    });
  });
  return calls;
}

/** Problems with the calls of `definition`, saved as the draft of `selfId` (null when being created). */
export async function checkWorkflowCalls(
  selfId: string | null,
  definition: WorkflowDefinition,
  load: LoadDefinition,
): Promise<DefinitionProblem[]> {
  const problems: DefinitionProblem[] = [];
  const cache = new Map<string, Promise<WorkflowDefinition | null>>();
  let lookups = 0;
  const loadOnce = (call: WorkflowCall) => {
    const key = `${call.workflowId}:${call.versionId ?? 'draft'}`;
    if (!cache.has(key)) {
      lookups++;
      cache.set(key, load(call.workflowId, call.versionId));
    }
    return cache.get(key)!;
  };

  /** The path that goes too deep or back to `selfId`, below `call` reached at `depth`; null if none. */
  const badPath = async (call: WorkflowCall, depth: number, path: string[]): Promise<string[] | null> => {
    if (call.workflowId === selfId && call.versionId === null) return [...path, call.workflowId];
    if (depth > MAX_WORKFLOW_DEPTH || lookups > MAX_LOOKUPS) return [...path, call.workflowId];
    const called = await loadOnce(call);
    for (const next of called ? workflowCalls(called) : []) {
      const found = await badPath(next, depth + 1, [...path, call.workflowId]);
      if (found) return found;
    }
    return null;
  };

  for (const call of workflowCalls(definition)) {
    const field = `definition.nodes[${call.nodeIndex}].config`;
    if (!(await loadOnce(call))) {
      problems.push(
        call.versionId
          ? { field: `${field}.workflow_version_id`, message: `is not a version of workflow ${call.workflowId}` }
          : { field: `${field}.workflow_id`, message: `no workflow ${call.workflowId} in this group` },
      );
      continue;
    }
    const path = await badPath(call, 1, [selfId ?? 'this workflow']);
    if (!path) continue;
    const recursive = path.at(-1) === selfId;
    problems.push({
      field: `${field}.workflow_id`,
      message: recursive
        ? `calls this workflow back (${path.join(' → ')}); a workflow cannot call itself`
        : `nests child workflows more than ${MAX_WORKFLOW_DEPTH} deep (${path.join(' → ')})`,
    });
  }
  return problems;
}
