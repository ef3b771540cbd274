/** Cycle detection for the definition graph: one cycle reported per strongly connected component. */

export interface GraphEdge {
  from: string;
  to: string;
  /** Position in `definition.edges`. */
  index: number;
}

export interface Cycle {
  /** The path around the cycle, first node repeated at the end: [a, b, a]. */
  path: string[];
  /** The edge that closes the cycle back to its first node. */
  closingEdge: number;
  /** Other nodes in cycles tangled with this one (same component), not on `path`. */
  alsoInvolved: string[];
}

export function findCycles(nodeIds: string[], edges: GraphEdge[]): Cycle[] {
  const outgoing = new Map<string, GraphEdge[]>(nodeIds.map((id) => [id, []]));
  for (const edge of edges) outgoing.get(edge.from)?.push(edge);
  return stronglyConnectedComponents(nodeIds, outgoing)
    .filter((component) => component.length > 1 || outgoing.get(component[0])!.some((e) => e.to === e.from))
    .map((component) => cycleThrough(component, nodeIds, outgoing));
}

/** Tarjan's algorithm; recursion depth is bounded by the definition's node limit. */
function stronglyConnectedComponents(nodeIds: string[], outgoing: Map<string, GraphEdge[]>): string[][] {
  const order = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];

  const visit = (node: string): void => {
    order.set(node, order.size);
    lowLink.set(node, order.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const { to } of outgoing.get(node)!) {
      if (!order.has(to)) {
        visit(to);
        lowLink.set(node, Math.min(lowLink.get(node)!, lowLink.get(to)!));
      } else if (onStack.has(to)) {
        lowLink.set(node, Math.min(lowLink.get(node)!, order.get(to)!));
      }
    }
    if (lowLink.get(node) === order.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      components.push(component);
    }
  };

  for (const id of nodeIds) if (!order.has(id)) visit(id);
  return components;
}

/** The shortest cycle from the component's earliest node (in definition order) back to itself. */
function cycleThrough(component: string[], nodeIds: string[], outgoing: Map<string, GraphEdge[]>): Cycle {
  const members = new Set(component);
  const start = nodeIds.find((id) => members.has(id))!;
  const reachedBy = new Map<string, GraphEdge>();
  const queue = [start];
  let closing: GraphEdge | undefined;
  while (closing === undefined) {
    const node = queue.shift()!;
    for (const edge of outgoing.get(node)!) {
      if (edge.to === start) {
        closing = edge;
        break;
      }
      if (members.has(edge.to) && !reachedBy.has(edge.to)) {
        reachedBy.set(edge.to, edge);
        queue.push(edge.to);
      }
    }
  }
  const between: string[] = [];
  for (let node = closing.from; node !== start; node = reachedBy.get(node)!.from) between.unshift(node);
  const path = [start, ...between, start];
  const alsoInvolved = nodeIds.filter((id) => members.has(id) && !path.includes(id));
  return { path, closingEdge: closing.index, alsoInvolved };
}
