import type { FieldError } from './api';

export interface PlacedProblems {
  /** Messages per node id, from paths under `definition.nodes[i]` or an edge's `from`/`to`. */
  byNode: Record<string, string[]>;
  /** Messages that belong to no single node (e.g. a cycle, or `definition.nodes` itself). */
  general: FieldError[];
}

const NODE_PATH = /^definition\.nodes\[(\d+)\](.*)$/;
const EDGE_PATH = /^definition\.edges\[(\d+)\](?:\.(from|to))?(.*)$/;

/**
 * Places the validator's 422 errors on the nodes they concern, reading node ids from the
 * definition that was sent (the paths are indexes into it).
 */
export function placeProblems(sent: unknown, errors: FieldError[]): PlacedProblems {
  const definition = (sent ?? {}) as { nodes?: { id?: unknown }[]; edges?: Record<string, { node_id?: unknown }>[] };
  const placed: PlacedProblems = { byNode: {}, general: [] };
  const put = (nodeId: unknown, text: string, error: FieldError) => {
    if (typeof nodeId !== 'string') return placed.general.push(error);
    (placed.byNode[nodeId] ??= []).push(text);
  };
  for (const error of errors) {
    const node = NODE_PATH.exec(error.field);
    if (node) {
      put(definition.nodes?.[Number(node[1])]?.id, `${node[2].replace(/^\./, '') || 'node'}: ${error.message}`, error);
      continue;
    }
    const edge = EDGE_PATH.exec(error.field);
    if (edge) {
      const end = (edge[2] as 'from' | 'to' | undefined) ?? 'to';
      put(
        definition.edges?.[Number(edge[1])]?.[end]?.node_id,
        `edges[${edge[1]}]${edge[2] ? `.${edge[2]}` : ''}${edge[3]}: ${error.message}`,
        error,
      );
      continue;
    }
    placed.general.push(error);
  }
  return placed;
}

/** The errors about node `nodeId`'s own fields, with paths relative to the node (`config.template`, `id`). */
export function problemsOfNode(sent: unknown, errors: FieldError[], nodeId: string): FieldError[] {
  const nodes = (sent as { nodes?: { id?: unknown }[] } | undefined)?.nodes;
  return errors.flatMap((error) => {
    const node = NODE_PATH.exec(error.field);
    if (!node || nodes?.[Number(node[1])]?.id !== nodeId) return [];
    return [{ field: node[2].replace(/^\./, ''), message: error.message }];
  });
}
