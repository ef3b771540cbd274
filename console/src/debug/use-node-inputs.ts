import { api } from '../api';
import { useNodeCatalog } from '../graph/catalog';
import { portsOf, type ConnectorsByNode } from '../graph/ports';
import { useLoad } from '../hooks';
import type { Definition } from '../types';
import type { InputConnector } from '../../../src/execution/node-catalog';

/**
 * The input connectors of a node of `definition` as the API derives them from its config (a
 * TextTemplateNode's ((placeholders))), read once per definition; until then its type's
 * connectors and the inputs its edges name.
 */
export function useNodeInputs(definition: Definition, nodeId: string | undefined): InputConnector[] | undefined {
  const { catalog } = useNodeCatalog();
  const validated = useLoad(
    async () =>
      nodeId
        ? (await api.post<{ connectors: ConnectorsByNode }>('/v1/workflows/validate', { definition })).connectors
        : undefined,
    [nodeId && definition],
  );
  return nodeId ? portsOf(definition, catalog, validated.data).get(nodeId)?.inputs : undefined;
}
