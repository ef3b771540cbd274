import { useEffect, useState } from 'react';
import type { JsonSchema, NodeTypeDescription } from '../../../src/execution/node-catalog';
import { api, errorMessage } from '../api';

export interface NodeCatalog {
  items: NodeTypeDescription[];
  node_policy_schema: JsonSchema;
}

let loading: Promise<NodeCatalog> | undefined;

/** GET /v1/nodes, read once per page load: the catalog is fixed for a build of the server. */
export function loadNodeCatalog(): Promise<NodeCatalog> {
  loading ??= api.get<NodeCatalog>('/v1/nodes').catch((error: unknown) => {
    loading = undefined; // a failed read is tried again by the next caller
    throw error;
  });
  return loading;
}

export function useNodeCatalog(): { catalog?: NodeCatalog; error?: string } {
  const [state, setState] = useState<{ catalog?: NodeCatalog; error?: string }>({});
  useEffect(() => {
    let current = true;
    loadNodeCatalog().then(
      (catalog) => current && setState({ catalog }),
      (error: unknown) => current && setState({ error: errorMessage(error) }),
    );
    return () => {
      current = false;
    };
  }, []);
  return state;
}

export function catalogEntry(catalog: NodeCatalog | undefined, type: string): NodeTypeDescription | undefined {
  return catalog?.items.find((item) => item.type === type);
}
