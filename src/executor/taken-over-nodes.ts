import type { Run } from '../generated/prisma/client.js';
import { definitionFromJson } from '../execution/definition.js';
import { reusableNodes, type CompletedNode, type PreparedRun } from '../execution/engine/index.js';
import type { NodeRunRecord } from './run-records.js';

/** A node run that completed (or was itself taken over), as a retry may take it over. */
export interface FinishedNodeRun {
  nodeId: string;
  nodeType: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  /** The run that executed it: its own, or the one it was taken over from. */
  executedBy: string;
}

/** What a retry takes over from the run it retries: its `reused` node runs, and the same as completed nodes for the walk. */
export interface TakenOverNodes {
  records: NodeRunRecord[];
  completed: ReadonlyMap<string, CompletedNode>;
}

/**
 * The nodes of `source` that a retry planned as `prepared` takes over (reusableNodes), as `reused`
 * node runs of the retry: their inputs and outputs copied, naming the run that executed them,
 * executed by nobody in the retry (attempt 0, no attempts, 0 ms at the moment it is made).
 */
export function takenOverNodes(
  source: Pick<Run, 'definition'>,
  finished: readonly FinishedNodeRun[],
  prepared: PreparedRun,
  forced: ReadonlySet<string> = new Set(),
): TakenOverNodes {
  const completed = new Map(finished.map((node) => [node.nodeId, { inputs: node.inputs, outputs: node.outputs }]));
  const definition = definitionFromJson(source.definition);
  const reusable = reusableNodes(prepared.plan, prepared.input, { definition, completed }, forced);
  const takenAt = new Date().toISOString();
  const taken = finished.filter((node) => reusable.has(node.nodeId));
  return {
    records: taken.map((node) => ({
      node_id: node.nodeId,
      node_type: node.nodeType,
      status: 'reused',
      inputs: node.inputs,
      outputs: node.outputs,
      error: null,
      attempt: 0,
      started_at: takenAt,
      finished_at: takenAt,
      duration_ms: 0,
      attempts: [],
      waiting_until: null,
      waiting_for: null,
      resume_token_hash: null,
      reused_from: node.executedBy,
    })),
    completed: new Map(taken.map((node) => [node.nodeId, completed.get(node.nodeId)!])),
  };
}
