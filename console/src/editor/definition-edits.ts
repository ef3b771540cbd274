/**
 * The editor's edits of a definition, as pure functions. None reorders the keys of what it keeps
 * (spreads keep insertion order, and a replaced key keeps its place), so the JSON the API stored
 * comes back out exactly as it went in, plus only what the person changed.
 */
import type { Definition, EdgeDefinition, NodeDefinition } from '../types';

export interface XY {
  x: number;
  y: number;
}
export type Endpoint = { from: EdgeDefinition['from']; to: EdgeDefinition['to'] };
/** A node's port names, when known (its type is known and its config valid). */
export type PortsOf = (nodeId: string) => { inputs: string[]; outputs: string[] } | undefined;
export type Refusable = { definition: Definition } | { refused: string };

/** `TextTemplateNode` → `text_template`, then `text_template_2`, … : an id no node has. */
export function freshNodeId(definition: Definition, type: string): string {
  const base =
    type
      .replace(/Node$/, '')
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase()
      .replace(/[^a-z0-9_-]/g, '') || 'node';
  const taken = new Set(definition.nodes.map((node) => node.id));
  if (!taken.has(base)) return base;
  let suffix = 2;
  while (taken.has(`${base}_${suffix}`)) suffix += 1;
  return `${base}_${suffix}`;
}

export function addNode(definition: Definition, type: string, position: XY): { definition: Definition; id: string } {
  const id = freshNodeId(definition, type);
  const node: NodeDefinition = { id, type, config: {}, position: roundXY(position) };
  return { definition: { ...definition, nodes: [...definition.nodes, node] }, id };
}

export function deleteNodes(definition: Definition, ids: readonly string[]): Definition {
  const gone = new Set(ids);
  if (!definition.nodes.some((node) => gone.has(node.id))) return definition;
  return {
    ...definition,
    nodes: definition.nodes.filter((node) => !gone.has(node.id)),
    edges: definition.edges.filter((edge) => !gone.has(edge.from.node_id) && !gone.has(edge.to.node_id)),
  };
}

/** Sets `position` of each node named in `positions` (one edit for a drag of several nodes). */
export function moveNodes(definition: Definition, positions: Record<string, XY>): Definition {
  return {
    ...definition,
    nodes: definition.nodes.map((node) =>
      positions[node.id] ? { ...node, position: roundXY(positions[node.id]) } : node,
    ),
  };
}

/** Why `endpoint` may not become an edge, or undefined when it may. */
export function connectionRefusal(definition: Definition, endpoint: Endpoint, portsOf: PortsOf): string | undefined {
  const { from, to } = endpoint;
  const ids = new Set(definition.nodes.map((node) => node.id));
  for (const id of [from.node_id, to.node_id]) if (!ids.has(id)) return `there is no node \`${id}\``;
  if (from.node_id === to.node_id) return `\`${from.node_id}\` cannot feed itself`;
  const source = portsOf(from.node_id);
  const target = portsOf(to.node_id);
  if (source && !source.outputs.includes(from.output)) {
    return source.inputs.includes(from.output)
      ? `\`${from.output}\` of \`${from.node_id}\` is an input: an edge goes from an output to an input`
      : `\`${from.node_id}\` has no output \`${from.output}\``;
  }
  if (target && !target.inputs.includes(to.input)) {
    return target.outputs.includes(to.input)
      ? `\`${to.input}\` of \`${to.node_id}\` is an output: an edge goes from an output to an input`
      : `\`${to.node_id}\` has no input \`${to.input}\``;
  }
  const feeding = definition.edges.find((edge) => edge.to.node_id === to.node_id && edge.to.input === to.input);
  if (feeding) {
    return `input \`${to.input}\` of \`${to.node_id}\` is already fed by \`${feeding.from.node_id}.${feeding.from.output}\``;
  }
  const path = pathBetween(definition, to.node_id, from.node_id);
  if (path) return `this edge would close a cycle: ${[...path, to.node_id].join(' → ')}`;
  return undefined;
}

/** One end of a drag between two handles: a node's port, on its output or its input side. */
export interface HandleEnd {
  node_id: string;
  port: string;
  side: 'output' | 'input';
}

/** Why a drag from one handle to another makes no edge (in whichever direction it was drawn). */
export function dragRefusal(definition: Definition, start: HandleEnd, end: HandleEnd, portsOf: PortsOf): string {
  if (start.side === end.side) {
    return `\`${start.node_id}.${start.port}\` and \`${end.node_id}.${end.port}\` are both ${start.side}s: an edge goes from an output (right side of a card) to an input (left side)`;
  }
  const [output, input] = start.side === 'output' ? [start, end] : [end, start];
  const endpoint = {
    from: { node_id: output.node_id, output: output.port },
    to: { node_id: input.node_id, input: input.port },
  };
  return connectionRefusal(definition, endpoint, portsOf) ?? 'this edge is not allowed';
}

export function connect(definition: Definition, endpoint: Endpoint, portsOf: PortsOf): Refusable {
  const refused = connectionRefusal(definition, endpoint, portsOf);
  if (refused) return { refused };
  const edge: EdgeDefinition = {
    from: { node_id: endpoint.from.node_id, output: endpoint.from.output },
    to: { node_id: endpoint.to.node_id, input: endpoint.to.input },
  };
  return { definition: { ...definition, edges: [...definition.edges, edge] } };
}

export function disconnect(definition: Definition, edgeIndexes: readonly number[]): Definition {
  if (edgeIndexes.length === 0) return definition;
  const gone = new Set(edgeIndexes);
  return { ...definition, edges: definition.edges.filter((_, index) => !gone.has(index)) };
}

/**
 * Puts `node` where the node `id` was. A new id is carried over to the edges (refused when another
 * node already has it, since edges would then point at two nodes).
 */
export function replaceNode(definition: Definition, id: string, node: NodeDefinition): Refusable {
  const index = definition.nodes.findIndex((candidate) => candidate.id === id);
  if (index < 0) return { refused: `there is no node \`${id}\`` };
  if (node.id !== id && definition.nodes.some((other) => other.id === node.id)) {
    return { refused: `another node already has the id \`${node.id}\`` };
  }
  const nodes = definition.nodes.map((candidate, at) => (at === index ? node : candidate));
  if (node.id === id) return { definition: { ...definition, nodes } };
  const renamed = <T extends { node_id: string }>(end: T): T =>
    end.node_id === id ? { ...end, node_id: node.id } : end;
  const edges = definition.edges.map((edge) =>
    edge.from.node_id === id || edge.to.node_id === id
      ? { ...edge, from: renamed(edge.from), to: renamed(edge.to) }
      : edge,
  );
  return { definition: { ...definition, nodes, edges } };
}

/** Node ids along edges from `start` to `goal` (both included), or undefined when `goal` is unreachable. */
function pathBetween(definition: Definition, start: string, goal: string): string[] | undefined {
  const cameFrom = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const current = queue.shift() as string;
    if (current === goal) {
      const path = [current];
      for (let step = cameFrom.get(current); step; step = cameFrom.get(step)) path.unshift(step);
      return path;
    }
    for (const edge of definition.edges) {
      if (edge.from.node_id === current && !cameFrom.has(edge.to.node_id)) {
        cameFrom.set(edge.to.node_id, current);
        queue.push(edge.to.node_id);
      }
    }
  }
  return undefined;
}

function roundXY({ x, y }: XY): XY {
  return { x: Math.round(x), y: Math.round(y) };
}
