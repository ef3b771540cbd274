import type { Edge, Node, NodeChange } from '@xyflow/react';
import { useCallback, useMemo, useState } from 'react';
import type { Definition } from '../types';
import { useNodeCatalog } from './catalog';
import type { FlowNodeData, GraphNodeInfo, NodeMenuItem } from './FlowNode';
import { cardHeight, layoutDefinition, NODE_WIDTH } from './layout';
import { portsOf, type ConnectorsByNode } from './ports';

export interface FlowOptions {
  info?: Record<string, GraphNodeInfo>;
  /** Ports the server computed for the configs being edited (POST /v1/workflows/validate). */
  connectors?: ConnectorsByNode;
  selectedNodeId?: string;
  connectable?: boolean;
  menu?: (nodeId: string) => NodeMenuItem[];
}

type Size = { width: number; height: number };

/**
 * React Flow's nodes and edges for a definition, and the change handler that keeps each node's
 * measured size: a node handed to React Flow without it loses its handles' positions and is
 * measured again, which on a live run's page would be every node on every event.
 */
export function useFlowElements(definition: Definition, options: FlowOptions = {}) {
  const { info = {}, connectors, selectedNodeId, connectable = false, menu } = options;
  const { catalog } = useNodeCatalog();
  const [measured, setMeasured] = useState<Record<string, Size>>({});
  const ports = useMemo(() => portsOf(definition, catalog, connectors), [definition, catalog, connectors]);
  const positions = useMemo(() => layoutDefinition(definition, ports), [definition, ports]);

  const nodes: Node<FlowNodeData>[] = definition.nodes.map((node) => ({
    id: node.id,
    type: 'card',
    position: positions.get(node.id) ?? { x: 0, y: 0 },
    measured: measured[node.id],
    // Drawn (and fitted) at once, before React Flow has measured the node.
    initialWidth: NODE_WIDTH,
    initialHeight: cardHeight(ports.get(node.id)),
    selected: node.id === selectedNodeId,
    ariaLabel: `${node.id} (${node.type})${info[node.id]?.status ? `: ${info[node.id]?.status}` : ''}`,
    data: {
      node,
      ports: ports.get(node.id)!,
      info: info[node.id] ?? {},
      connectable,
      menu: menu?.(node.id),
    },
  }));
  const edges: Edge[] = definition.edges.map((edge) => ({
    id: `${edge.from.node_id}.${edge.from.output}->${edge.to.node_id}.${edge.to.input}`,
    source: edge.from.node_id,
    sourceHandle: edge.from.output,
    target: edge.to.node_id,
    targetHandle: edge.to.input,
    animated: info[edge.to.node_id]?.status === 'running',
  }));

  const keepMeasured = useCallback((changes: NodeChange[]) => {
    const sized = changes.filter((change) => change.type === 'dimensions' && change.dimensions);
    if (!sized.length) return;
    setMeasured((current) => {
      const next = { ...current };
      for (const change of sized) if (change.type === 'dimensions') next[change.id] = change.dimensions!;
      return next;
    });
  }, []);
  return { nodes, edges, positions, ports, onNodesChange: keepMeasured };
}
