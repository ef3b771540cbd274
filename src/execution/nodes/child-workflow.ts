/** What WorkflowNode and MapNode share: naming the child workflow, and running it. */
import { NodeFailure, type JsonSchema, type NodeContext } from '../node-type.js';
import type { ChildRunRequest, ChildRunResult, ChildRuns } from '../node-services.js';

/** The node types that start child runs. */
export const CHILD_RUN_NODE_TYPES: ReadonlySet<string> = new Set(['WorkflowNode', 'MapNode']);

/** Child runs nest at most this deep (a run started through the API is depth 0). */
export const MAX_WORKFLOW_DEPTH = 5;

export type ChildWorkflowConfig = {
  workflow_id: string;
  workflow_version_id?: string | null;
};

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

export const childWorkflowProperties: Record<string, JsonSchema> = {
  workflow_id: { type: 'string', pattern: UUID, description: 'A workflow of the same group.' },
  workflow_version_id: {
    type: ['string', 'null'],
    pattern: UUID,
    description: 'A version of that workflow; null or absent runs its draft as it is when the child starts.',
  },
};

/** Input connector names: run input keys of the child (InputNode labels or ids). */
export const inputNamesProperty = (description: string): JsonSchema => ({
  type: 'array',
  maxItems: 100,
  uniqueItems: true,
  items: { type: 'string', minLength: 1, maxLength: 200 },
  description,
});

export function childRunsOf(ctx: NodeContext<unknown>): ChildRuns {
  const childRuns = ctx.services?.childRuns;
  if (!childRuns) throw new NodeFailure('child workflows cannot run here (no run executor)', 'child_runs_unavailable');
  return childRuns;
}

export function childRequest(
  ctx: NodeContext<ChildWorkflowConfig>,
  input: Record<string, unknown>,
  itemIndex: number | null,
  signal: AbortSignal = ctx.signal,
): ChildRunRequest {
  return {
    nodeId: ctx.nodeId,
    attempt: ctx.attempt ?? 1,
    itemIndex,
    workflowId: ctx.config.workflow_id.toLowerCase(),
    versionId: ctx.config.workflow_version_id?.toLowerCase() ?? null,
    input,
    signal,
  };
}

/** A child that did not complete, as the parent node's failure (keeping the child's error type). */
export function childFailure(result: ChildRunResult): NodeFailure {
  if (result.runId === null) return new NodeFailure(result.error.message, result.error.type);
  if (result.status === 'stopped') return new NodeFailure(`child run ${result.runId} was stopped`, 'child_run_stopped');
  const error = result.error ?? { node_id: '', message: 'failed', type: 'child_run_failed' };
  return new NodeFailure(`child run ${result.runId} failed at node "${error.node_id}": ${error.message}`, error.type);
}
