import type { EdgeDefinition, NodeDefinition, WorkflowDefinition } from '../definition.js';
import type { InputConnector, NodeType } from '../node-type.js';
import { nodePolicy, type NodePolicy } from './node-policy.js';

/** How the engine finds a node type by name: `NodeRegistry` (`nodes/index.ts`) is one. */
export interface NodeTypeLookup {
  get(type: string): NodeType | undefined;
}

/** A reason a run cannot start, reported as a 422 `errors[]` entry. */
export interface RunProblem {
  field: string;
  message: string;
}

/** Type names the engine treats specially: they carry the run's input and output. */
export const INPUT_NODE_TYPE = 'InputNode';
export const OUTPUT_NODE_TYPE = 'OutputNode';

export interface PlannedNode {
  id: string;
  type: string;
  config: Record<string, unknown>;
  nodeType: NodeType;
  policy: NodePolicy;
  inputs: InputConnector[];
  /** Edges feeding this node from other planned nodes (none in single-node runs). */
  incoming: EdgeDefinition[];
  /** Edges from this node to other planned nodes. */
  outgoing: EdgeDefinition[];
}

/** The nodes one run executes, with their types resolved and their edges indexed. */
export interface RunPlan {
  definition: WorkflowDefinition;
  /** In definition order. */
  nodes: Map<string, PlannedNode>;
  /** `node_ids` as requested (deduplicated), or null. */
  requestedNodeIds: string[] | null;
  singleNodeId: string | null;
}

export interface RunSelection {
  nodeIds?: string[] | null;
  singleNodeId?: string | null;
}

export type PlanResult = { ok: true; plan: RunPlan } | { ok: false; problems: RunProblem[] };

export function planRun(
  definition: WorkflowDefinition,
  nodeTypes: NodeTypeLookup,
  selection: RunSelection = {},
): PlanResult {
  const nodeIds = selection.nodeIds ?? null;
  const singleNodeId = selection.singleNodeId ?? null;
  const selected = selectNodeIds(definition, nodeIds, singleNodeId);
  if (!selected.ok) return selected;

  const problems: RunProblem[] = [];
  const nodes = new Map<string, PlannedNode>();
  definition.nodes.forEach((node, index) => {
    if (!selected.ids.has(node.id)) return;
    const nodeType = nodeTypes.get(node.type);
    if (!nodeType) {
      problems.push({
        field: `definition.nodes[${index}].type`,
        message: `unknown node type "${node.type}" of node "${node.id}"`,
      });
      return;
    }
    const config = node.config ?? {};
    nodes.set(node.id, {
      id: node.id,
      type: node.type,
      config,
      nodeType,
      policy: nodePolicy(node),
      inputs: nodeType.inputs(config),
      incoming: [],
      outgoing: [],
    });
  });
  if (problems.length > 0) return { ok: false, problems };

  // A single node runs alone: its inputs come from the run input, so its edges are ignored.
  if (singleNodeId === null) indexEdges(definition.edges, nodes);
  if (singleNodeId === null) problems.push(...unconnectedRequiredInputs(definition, nodes));
  if (problems.length > 0) return { ok: false, problems };

  return {
    ok: true,
    plan: { definition, nodes, requestedNodeIds: nodeIds === null ? null : [...new Set(nodeIds)], singleNodeId },
  };
}

type Selected = { ok: true; ids: Set<string> } | { ok: false; problems: RunProblem[] };

function selectNodeIds(
  definition: WorkflowDefinition,
  nodeIds: string[] | null,
  singleNodeId: string | null,
): Selected {
  const known = new Set(definition.nodes.map((node) => node.id));
  const problems: RunProblem[] = [];
  if (nodeIds !== null && singleNodeId !== null) {
    problems.push({ field: 'single_node_id', message: 'cannot be combined with node_ids' });
  }
  if (nodeIds !== null && nodeIds.length === 0) {
    problems.push({ field: 'node_ids', message: 'must list at least one node id (omit it to run the whole workflow)' });
  }
  nodeIds?.forEach((id, index) => {
    if (!known.has(id)) problems.push({ field: `node_ids[${index}]`, message: `unknown node id "${id}"` });
  });
  if (singleNodeId !== null && !known.has(singleNodeId)) {
    problems.push({ field: 'single_node_id', message: `unknown node id "${singleNodeId}"` });
  }
  if (problems.length > 0) return { ok: false, problems };

  if (singleNodeId !== null) return { ok: true, ids: new Set([singleNodeId]) };
  if (nodeIds !== null) return { ok: true, ids: withUpstream(definition.edges, nodeIds) };
  return { ok: true, ids: known };
}

/** The given nodes and every node they depend on, transitively. */
function withUpstream(edges: EdgeDefinition[], nodeIds: string[]): Set<string> {
  const sourcesOf = new Map<string, string[]>();
  for (const edge of edges) {
    const sources = sourcesOf.get(edge.to.node_id) ?? [];
    sources.push(edge.from.node_id);
    sourcesOf.set(edge.to.node_id, sources);
  }
  const ids = new Set(nodeIds);
  const toVisit = [...ids];
  for (let id = toVisit.pop(); id !== undefined; id = toVisit.pop()) {
    for (const source of sourcesOf.get(id) ?? []) {
      if (ids.has(source)) continue;
      ids.add(source);
      toVisit.push(source);
    }
  }
  return ids;
}

function indexEdges(edges: EdgeDefinition[], nodes: Map<string, PlannedNode>): void {
  for (const edge of edges) {
    const from = nodes.get(edge.from.node_id);
    const to = nodes.get(edge.to.node_id);
    // With node_ids, edges leading to nodes downstream of the selection are not part of the run.
    if (!from || !to) continue;
    from.outgoing.push(edge);
    to.incoming.push(edge);
  }
}

function unconnectedRequiredInputs(definition: WorkflowDefinition, nodes: Map<string, PlannedNode>): RunProblem[] {
  const problems: RunProblem[] = [];
  definition.nodes.forEach((node: NodeDefinition, index) => {
    const planned = nodes.get(node.id);
    if (!planned) return;
    const connected = new Set(planned.incoming.map((edge) => edge.to.input));
    for (const input of planned.inputs) {
      if (input.required && !connected.has(input.name)) {
        problems.push({
          field: `definition.nodes[${index}]`,
          message: `required input "${input.name}" of node "${node.id}" is not connected`,
        });
      }
    }
  });
  return problems;
}
