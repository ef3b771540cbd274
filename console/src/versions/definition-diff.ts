import type { Definition, EdgeDefinition, NodeDefinition } from '../types';
import { count } from './wording';

/** One field of a node that differs: `path` like `config.template`; undefined = absent on that side. */
export interface FieldChange {
  path: string;
  before: unknown;
  after: unknown;
}

export interface ChangedNode {
  id: string;
  fields: FieldChange[];
  /** Also drawn elsewhere (its editor position changed), which alone does not count as a change. */
  moved: boolean;
}

export interface DefinitionDiff {
  nodes: {
    added: NodeDefinition[];
    removed: NodeDefinition[];
    changed: ChangedNode[];
    /** Ids of nodes whose position alone changed: nothing that runs differs. */
    moved: string[];
  };
  edges: { added: EdgeDefinition[]; removed: EdgeDefinition[] };
}

export type NodeDiffKind = 'added' | 'removed' | 'changed';

/**
 * What turns definition `before` into `after`: nodes matched by id, edges by both ends. Objects are
 * compared member by member whatever their key order (the API stores definitions as sent, so the
 * same config may come back with its keys in another order); arrays and scalars as whole values.
 */
export function diffDefinitions(before: Definition, after: Definition): DefinitionDiff {
  const beforeNodes = new Map(before.nodes.map((node) => [node.id, node]));
  const afterNodes = new Map(after.nodes.map((node) => [node.id, node]));
  const changed: ChangedNode[] = [];
  const moved: string[] = [];
  for (const node of after.nodes) {
    const old = beforeNodes.get(node.id);
    if (!old) continue;
    const { position: oldPosition, ...oldRest } = old;
    const { position: newPosition, ...newRest } = node;
    const fields = fieldChanges(oldRest, newRest, '');
    const wasMoved = !jsonEqual(oldPosition, newPosition);
    if (fields.length) changed.push({ id: node.id, fields, moved: wasMoved });
    else if (wasMoved) moved.push(node.id);
  }
  const beforeEdges = new Set(before.edges.map(edgeKey));
  const afterEdges = new Set(after.edges.map(edgeKey));
  return {
    nodes: {
      added: after.nodes.filter((node) => !beforeNodes.has(node.id)),
      removed: before.nodes.filter((node) => !afterNodes.has(node.id)),
      changed,
      moved,
    },
    edges: {
      added: after.edges.filter((edge) => !beforeEdges.has(edgeKey(edge))),
      removed: before.edges.filter((edge) => !afterEdges.has(edgeKey(edge))),
    },
  };
}

export function isEmptyDiff(diff: DefinitionDiff): boolean {
  return (
    diff.nodes.added.length + diff.nodes.removed.length + diff.nodes.changed.length + diff.nodes.moved.length === 0 &&
    diff.edges.added.length + diff.edges.removed.length === 0
  );
}

/**
 * Both definitions in one, to draw the diff on a single graph: every node and edge of `after`, then
 * what only `before` had (removed nodes keep their old place). `kinds` says how each node differs.
 */
export function unionOfDiff(
  before: Definition,
  after: Definition,
  diff: DefinitionDiff,
): { definition: Definition; kinds: Record<string, NodeDiffKind> } {
  const kinds: Record<string, NodeDiffKind> = {};
  for (const node of diff.nodes.added) kinds[node.id] = 'added';
  for (const node of diff.nodes.removed) kinds[node.id] = 'removed';
  for (const node of diff.nodes.changed) kinds[node.id] = 'changed';
  return {
    definition: {
      nodes: [...after.nodes, ...diff.nodes.removed],
      edges: [...after.edges, ...diff.edges.removed],
    },
    kinds,
  };
}

export function edgeLabel(edge: EdgeDefinition): string {
  return `${edge.from.node_id}.${edge.from.output} → ${edge.to.node_id}.${edge.to.input}`;
}

/** `"a" → "b"`; an absent side reads `(none)`. */
export function describeFieldChange(change: FieldChange): string {
  return `${change.path}: ${shown(change.before)} → ${shown(change.after)}`;
}

function shown(value: unknown): string {
  return value === undefined ? '(none)' : JSON.stringify(value);
}

function edgeKey(edge: EdgeDefinition): string {
  return JSON.stringify([edge.from.node_id, edge.from.output, edge.to.node_id, edge.to.input]);
}

function fieldChanges(before: unknown, after: unknown, path: string): FieldChange[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...Object.keys(before), ...Object.keys(after).filter((key) => !(key in before))];
    return keys.flatMap((key) => fieldChanges(before[key], after[key], path ? `${path}.${key}` : key));
  }
  return jsonEqual(before, after) ? [] : [{ path, before, after }];
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && jsonEqual(a[key], b[key]));
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => jsonEqual(item, b[index]));
  }
  return a === b;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One sentence for the whole diff: `1 node added, 2 changed; 1 edge removed.` */
export function summariseDiff(diff: DefinitionDiff): string {
  const nodes = (
    [
      ['added', diff.nodes.added.length],
      ['removed', diff.nodes.removed.length],
      ['changed', diff.nodes.changed.length],
      ['moved', diff.nodes.moved.length],
    ] as const
  ).filter(([, n]) => n > 0);
  const edges = (
    [
      ['added', diff.edges.added.length],
      ['removed', diff.edges.removed.length],
    ] as const
  ).filter(([, n]) => n > 0);
  const part = (noun: string, counts: readonly (readonly [string, number])[]) =>
    counts.map(([what, n], index) => `${index === 0 ? count(n, noun) : n} ${what}`).join(', ');
  const parts = [part('node', nodes), part('edge', edges)].filter(Boolean);
  return parts.length ? `${parts.join('; ')}.` : 'No differences.';
}
