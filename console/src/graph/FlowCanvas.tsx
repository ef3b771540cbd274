import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useStore,
  useUpdateNodeInternals,
  type Node,
  type ReactFlowProps,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect } from 'react';
import { FlowNode, type FlowNodeData } from './FlowNode';
import './graph.css';

const NODE_TYPES = { card: FlowNode };

/**
 * React Flow with the node cards, controls and minimap, for every graph the console draws (the
 * read-only graph and the editor's canvas). Pass the nodes and edges of useFlowElements().
 */
export function FlowCanvas({ children, ...props }: ReactFlowProps<Node<FlowNodeData>>) {
  return (
    <ReactFlow nodeTypes={NODE_TYPES} minZoom={0.1} {...props}>
      <Background />
      <Controls showInteractive={false} />
      <MiniMap pannable zoomable ariaLabel="Minimap of the graph" />
      <RemeasureLostHandles />
      {children}
    </ReactFlow>
  );
}

/**
 * Edges are drawn between measured handles. React Flow forgets a node's handle positions when it
 * is handed a new node object in the same frame as it measures it, and measures again only when
 * the node's size changes: a node whose size did not change then kept no handles and its edges
 * vanished (a live run's page switching to the stored record, 1 load in 10). Re-measure such nodes.
 */
function RemeasureLostHandles() {
  const lost = useStore((state) =>
    [...state.nodeLookup.values()]
      .filter((node) => !node.hidden && node.measured.width && !node.internals.handleBounds)
      .map((node) => node.id)
      .join('\n'),
  );
  const updateNodeInternals = useUpdateNodeInternals();
  useEffect(() => {
    if (lost) updateNodeInternals(lost.split('\n'));
  }, [lost, updateNodeInternals]);
  return null;
}
