import dagre from '@dagrejs/dagre';
import type { Definition } from '../types';
import type { NodePorts } from './ports';

export const NODE_WIDTH = 240;
/** Title, type and summary lines, padding, and a line for the status. */
const CARD_BASE_HEIGHT = 86;
export const PORT_ROW_HEIGHT = 20;

export interface Point {
  x: number;
  y: number;
}

/** The height a card is drawn with before anything (a status, an error, streamed text) grows it. */
export function cardHeight(ports: NodePorts | undefined): number {
  return CARD_BASE_HEIGHT + PORT_ROW_HEIGHT * Math.max(ports?.inputs.length ?? 0, ports?.outputs.length ?? 0, 1);
}

/**
 * Where each node is drawn: the `position` an editor stored for it, else a left-to-right layered
 * layout (dagre) of the whole graph, placed below the nodes that have a position.
 */
export function layoutDefinition(definition: Definition, ports: Map<string, NodePorts>): Map<string, Point> {
  const positions = new Map<string, Point>();
  for (const node of definition.nodes) if (node.position) positions.set(node.id, node.position);
  if (positions.size === definition.nodes.length) return positions;
  const laidOut = layeredLayout(definition, ports);
  const below = positions.size
    ? Math.max(...definition.nodes.map((node) => bottomOf(node.id, positions, ports))) + 60
    : 0;
  for (const node of definition.nodes) {
    if (positions.has(node.id)) continue;
    const point = laidOut.get(node.id)!;
    positions.set(node.id, { x: point.x, y: point.y + below });
  }
  return positions;
}

function bottomOf(nodeId: string, positions: Map<string, Point>, ports: Map<string, NodePorts>): number {
  const point = positions.get(nodeId);
  return point ? point.y + cardHeight(ports.get(nodeId)) : -Infinity;
}

/** Every node laid out by dagre, ignoring stored positions: what the editor's "Auto-layout" applies. */
export function layeredLayout(definition: Definition, ports: Map<string, NodePorts>): Map<string, Point> {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'LR', nodesep: 36, ranksep: 110, marginx: 10, marginy: 10 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of definition.nodes) {
    graph.setNode(node.id, { width: NODE_WIDTH, height: cardHeight(ports.get(node.id)) });
  }
  for (const edge of definition.edges) {
    if (graph.hasNode(edge.from.node_id) && graph.hasNode(edge.to.node_id)) {
      graph.setEdge(edge.from.node_id, edge.to.node_id);
    }
  }
  dagre.layout(graph);
  const positions = new Map<string, Point>();
  for (const node of definition.nodes) {
    const { x, y, height } = graph.node(node.id);
    positions.set(node.id, { x: x - NODE_WIDTH / 2, y: y - height / 2 });
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
