import type { InputConnector, OutputConnector } from '../../../src/execution/node-catalog';
import type { Definition } from '../types';
import { catalogEntry, type NodeCatalog } from './catalog';

export interface NodePorts {
  inputs: InputConnector[];
  outputs: OutputConnector[];
}

/** Connectors per node id, as POST /v1/workflows/validate computes them for the config being edited. */
export type ConnectorsByNode = Record<string, NodePorts>;

/**
 * The ports to draw for each node: the connectors the server computed for its config when known,
 * else its type's connectors for the default config; plus any port an edge names, so that every
 * edge has both its ends (a port that exists only for another config is still drawn).
 */
export function portsOf(definition: Definition, catalog?: NodeCatalog, connectors?: ConnectorsByNode) {
  const ports = new Map<string, NodePorts>();
  for (const node of definition.nodes) {
    const known = connectors?.[node.id] ?? catalogEntry(catalog, node.type);
    ports.set(node.id, { inputs: [...(known?.inputs ?? [])], outputs: [...(known?.outputs ?? [])] });
  }
  for (const edge of definition.edges) {
    const from = ports.get(edge.from.node_id);
    if (from && !from.outputs.some((port) => port.name === edge.from.output))
      from.outputs.push({ name: edge.from.output });
    const to = ports.get(edge.to.node_id);
    if (to && !to.inputs.some((port) => port.name === edge.to.input)) {
      to.inputs.push({ name: edge.to.input, required: false });
    }
  }
  return ports;
}
