import dagre from '@dagrejs/dagre';
import type { Definition } from './types';

export const NODE_WIDTH = 210;
export const NODE_HEIGHT = 78;

/** Left-to-right positions for a definition's nodes (dagre's layered layout). */
export function layoutDefinition(definition: Definition): Map<string, { x: number; y: number }> {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'LR', nodesep: 28, ranksep: 90, marginx: 10, marginy: 10 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of definition.nodes) graph.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const edge of definition.edges) {
    if (graph.hasNode(edge.from.node_id) && graph.hasNode(edge.to.node_id)) {
      graph.setEdge(edge.from.node_id, edge.to.node_id);
    }
  }
  dagre.layout(graph);
  const positions = new Map<string, { x: number; y: number }>();
  for (const node of definition.nodes) {
    const { x, y } = graph.node(node.id);
    positions.set(node.id, { x: x - NODE_WIDTH / 2, y: y - NODE_HEIGHT / 2 });
  }
  return positions;
}

/** Nodes and edges of a definition that may be half-edited or invalid JSON-wise (for the graph preview). */
export function asDefinition(value: unknown): Definition | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { nodes, edges } = value as { nodes?: unknown; edges?: unknown };
  if (!Array.isArray(nodes)) return undefined;
  const seen = new Set<string>();
  const validNodes = nodes.filter((node): node is Definition['nodes'][number] => {
    const ok = !!node && typeof node === 'object' && typeof node.id === 'string' && !seen.has(node.id);
    if (ok) seen.add(node.id);
    return ok;
  });
  const validEdges = (Array.isArray(edges) ? edges : []).filter(
    (edge): edge is Definition['edges'][number] =>
      typeof edge?.from?.node_id === 'string' && typeof edge?.to?.node_id === 'string',
  );
  return { nodes: validNodes, edges: validEdges };
}
