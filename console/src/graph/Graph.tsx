import { useReactFlow, type Node, type ReactFlowInstance } from '@xyflow/react';
import { useEffect, useRef } from 'react';
import type { Definition } from '../types';
import { FlowCanvas } from './FlowCanvas';
import type { FlowNodeData, GraphNodeInfo } from './FlowNode';
import { useFlowElements } from './flow-elements';
import { cardHeight, NODE_WIDTH, type Point } from './layout';
import type { NodePorts } from './ports';

export type { GraphNodeInfo } from './FlowNode';

/** The zoom below which card text would fall under 10 px: a bigger graph opens at it and scrolls. */
export const READABLE_ZOOM = 0.85;

/**
 * Opens the view on the whole graph when it fits at a readable zoom, else at that zoom on its
 * left part (where the inputs are), leaving the rest to panning and the minimap.
 */
export function openView(
  flow: ReactFlowInstance<Node<FlowNodeData>>,
  positions: Map<string, Point>,
  ports: Map<string, NodePorts>,
  pane: { width: number; height: number },
): void {
  if (positions.size === 0) return;
  const padding = 24;
  const points = [...positions.entries()];
  const minX = Math.min(...points.map(([, p]) => p.x));
  const minY = Math.min(...points.map(([, p]) => p.y));
  const maxX = Math.max(...points.map(([, p]) => p.x + NODE_WIDTH));
  const maxY = Math.max(...points.map(([id, p]) => p.y + cardHeight(ports.get(id))));
  const fit = Math.min((pane.width - 2 * padding) / (maxX - minX), (pane.height - 2 * padding) / (maxY - minY), 1);
  if (fit >= READABLE_ZOOM) {
    void flow.fitView({ padding: 0.1, maxZoom: 1 });
    return;
  }
  const zoom = READABLE_ZOOM;
  const tallerThanPane = (maxY - minY) * zoom > pane.height - 2 * padding;
  const y = tallerThanPane ? padding - minY * zoom : (pane.height - (maxY + minY) * zoom) / 2;
  void flow.setViewport({ x: padding - minX * zoom, y, zoom });
}

/** Centres the view on a node when `nodeId` changes (zoom-to-node from a node table). */
function FocusOnNode({ nodeId, positions }: { nodeId?: string; positions: Map<string, Point> }) {
  const flow = useReactFlow();
  useEffect(() => {
    const point = nodeId ? positions.get(nodeId) : undefined;
    if (point) void flow.setCenter(point.x + NODE_WIDTH / 2, point.y + 60, { zoom: 1, duration: 300 });
    // Only a new choice moves the view, not a re-layout of the same one.
  }, [nodeId]);
  return null;
}

/** A definition drawn read-only as a left-to-right graph; `info` adds live status, problems, data, diff marks. */
export function Graph({
  definition,
  info = {},
  selectedNodeId,
  focusNodeId,
  onSelect,
  label,
}: {
  definition: Definition;
  info?: Record<string, GraphNodeInfo>;
  selectedNodeId?: string;
  /** A node to bring into view; changing it moves the view there. */
  focusNodeId?: string;
  onSelect?: (nodeId: string) => void;
  label: string;
}) {
  const { nodes, edges, positions, ports, onNodesChange } = useFlowElements(definition, { info, selectedNodeId });
  const pane = useRef<HTMLElement>(null);
  return (
    <section className="graph" aria-label={label} ref={pane}>
      <FlowCanvas
        nodes={nodes}
        edges={edges}
        onInit={(flow) =>
          openView(flow, positions, ports, {
            width: pane.current?.clientWidth ?? 800,
            height: pane.current?.clientHeight ?? 500,
          })
        }
        nodesDraggable={false}
        nodesConnectable={false}
        edgesFocusable={false}
        onNodeClick={(_, node) => onSelect?.(node.id)}
        onNodesChange={(changes) => {
          onNodesChange(changes);
          // Keyboard selection (Enter on a focused node) arrives as a node change, not a click.
          const chosen = changes.find((change) => change.type === 'select' && change.selected);
          if (chosen && 'id' in chosen) onSelect?.(chosen.id);
        }}
      >
        <FocusOnNode nodeId={focusNodeId} positions={positions} />
      </FlowCanvas>
    </section>
  );
}
