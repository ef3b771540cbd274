import { useReactFlow, type Connection, type Edge, type Handle } from '@xyflow/react';
import { useCallback, useMemo, useRef, useState, type DragEvent, type ReactNode } from 'react';
import { openView } from '../graph/Graph';
import { FlowCanvas } from '../graph/FlowCanvas';
import type { GraphNodeInfo, NodeMenuItem } from '../graph/FlowNode';
import { useFlowElements } from '../graph/flow-elements';
import { cardHeight, NODE_WIDTH } from '../graph/layout';
import type { ConnectorsByNode, NodePorts } from '../graph/ports';
import type { Definition } from '../types';
import {
  connect,
  connectionRefusal,
  deleteNodes,
  disconnect,
  dragRefusal,
  moveNodes,
  type Endpoint,
  type HandleEnd,
  type PortsOf,
  type XY,
} from './definition-edits';
import { NodeMenu } from './NodeMenu';
import './editor.css';

/** The drag-and-drop type a palette entry carries: the node type's name. */
export const NODE_TYPE_DRAG = 'application/x-runloom-node-type';

/**
 * What a run panel (a test run, a debugger session) adds to the editor: each node's live state on
 * its card, actions in each node's menu, and a panel next to the node's config.
 */
export interface EditorSlots {
  /** Merged into each node card's info: live status, inputs/outputs, error, streamed text… */
  runInfo?: Record<string, GraphNodeInfo>;
  /** A node's menu (right-click, or its "⋯" button): e.g. "Run this node". */
  nodeMenu?: (nodeId: string) => NodeMenuItem[];
  /** Rendered with the selected node's config panel. */
  sidePanel?: ReactNode;
}

export interface EditorCanvasProps extends Pick<EditorSlots, 'runInfo' | 'nodeMenu'> {
  definition: Definition;
  /** Ports per node id computed by live validation for the configs being edited. */
  connectors?: ConnectorsByNode;
  /** Validation messages per node id. */
  problems: Record<string, string[]>;
  selected: string[];
  onSelect: (nodeIds: string[]) => void;
  /** An edit; edits with the same `mergeKey` in a row are one undo step. */
  onEdit: (definition: Definition, mergeKey?: string) => void;
  /** A node type dropped from the palette at a point of the graph. */
  onDropType: (type: string, position: XY) => void;
  /** Why a connection was refused (shown and announced by the editor). */
  onRefused: (reason: string) => void;
}

/** Port names per node, for the model's checks. */
export function portNames(ports: Map<string, NodePorts>): PortsOf {
  return (nodeId) => {
    const known = ports.get(nodeId);
    return known && { inputs: known.inputs.map((port) => port.name), outputs: known.outputs.map((port) => port.name) };
  };
}

const handleEnd = (handle: Handle): HandleEnd => ({
  node_id: handle.nodeId,
  port: handle.id ?? '',
  side: handle.type === 'source' ? 'output' : 'input',
});

const endpointOf = (connection: Connection | Edge): Endpoint => ({
  from: { node_id: connection.source, output: connection.sourceHandle ?? '' },
  to: { node_id: connection.target, input: connection.targetHandle ?? '' },
});

/**
 * The definition drawn as an editable graph: drop types, drag nodes, connect ports, delete. Inside
 * a ReactFlowProvider, which the toolbar around it shares (auto-layout fits the view).
 */
export function EditorCanvas(props: EditorCanvasProps) {
  const { definition, connectors, problems, selected, onSelect, onEdit, onDropType, onRefused, runInfo, nodeMenu } =
    props;
  const flow = useReactFlow();
  const pane = useRef<HTMLDivElement>(null);
  const [dragged, setDragged] = useState<Record<string, XY>>({});
  const [selectedEdges, setSelectedEdges] = useState<string[]>([]);
  const [menu, setMenu] = useState<{ nodeId: string; at: XY }>();
  const closeMenu = useCallback(() => setMenu(undefined), []);
  const info = useMemo(() => {
    const merged: Record<string, GraphNodeInfo> = { ...runInfo };
    for (const [nodeId, messages] of Object.entries(problems)) {
      merged[nodeId] = { ...merged[nodeId], problems: [...messages, ...(merged[nodeId]?.problems ?? [])] };
    }
    return merged;
  }, [runInfo, problems]);
  const elements = useFlowElements(definition, { info, connectors, connectable: true, menu: nodeMenu });
  const portsOf = useMemo(() => portNames(elements.ports), [elements.ports]);

  const nodes = elements.nodes.map((node) => ({
    ...node,
    position: dragged[node.id] ?? node.position,
    selected: selected.includes(node.id),
  }));
  const edges = elements.edges.map((edge) => ({ ...edge, selected: selectedEdges.includes(edge.id) }));

  const onDrop = (event: DragEvent) => {
    const type = event.dataTransfer.getData(NODE_TYPE_DRAG);
    if (!type) return;
    event.preventDefault();
    const point = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
    onDropType(type, { x: point.x - NODE_WIDTH / 2, y: point.y - cardHeight(undefined) / 2 });
  };

  return (
    <div
      ref={pane}
      className="graph editor-canvas"
      onDragOver={(event) => {
        if (!event.dataTransfer.types.includes(NODE_TYPE_DRAG)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
      }}
      onDrop={onDrop}
    >
      <FlowCanvas
        nodes={nodes}
        edges={edges}
        onInit={(instance) =>
          openView(instance, elements.positions, elements.ports, {
            width: pane.current?.clientWidth ?? 800,
            height: pane.current?.clientHeight ?? 500,
          })
        }
        deleteKeyCode={['Delete', 'Backspace']}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        isValidConnection={(connection) => !connectionRefusal(definition, endpointOf(connection), portsOf)}
        onConnect={(connection) => {
          const result = connect(definition, endpointOf(connection), portsOf);
          if ('refused' in result) onRefused(result.refused);
          else onEdit(result.definition);
        }}
        onConnectEnd={(_, state) => {
          if (state.isValid !== false || !state.toHandle || !state.fromHandle) return;
          onRefused(dragRefusal(definition, handleEnd(state.fromHandle), handleEnd(state.toHandle), portsOf));
        }}
        onNodesChange={(changes) => {
          elements.onNodesChange(changes);
          const moving: Record<string, XY> = {};
          for (const change of changes) {
            if (change.type === 'position' && change.dragging && change.position) moving[change.id] = change.position;
          }
          if (Object.keys(moving).length) setDragged((previous) => ({ ...previous, ...moving }));
          const selections = changes.filter((change) => change.type === 'select');
          if (selections.length) {
            const next = new Set(selected);
            for (const change of selections) {
              if (change.selected) next.add(change.id);
              else next.delete(change.id);
            }
            onSelect([...next]);
          }
        }}
        onNodeDragStop={(_, __, moved) => {
          setDragged({});
          onEdit(moveNodes(definition, Object.fromEntries(moved.map((node) => [node.id, node.position]))));
        }}
        onEdgesChange={(changes) =>
          setSelectedEdges((previous) => {
            const next = new Set(previous);
            for (const change of changes) {
              if (change.type !== 'select') continue;
              if (change.selected) next.add(change.id);
              else next.delete(change.id);
            }
            return [...next];
          })
        }
        onDelete={({ nodes: goneNodes, edges: goneEdges }) => {
          const goneIds = new Set(goneEdges.map((edge) => edge.id));
          const edgeIndexes = elements.edges.flatMap((edge, index) => (goneIds.has(edge.id) ? [index] : []));
          onEdit(
            deleteNodes(
              disconnect(definition, edgeIndexes),
              goneNodes.map((node) => node.id),
            ),
          );
          setSelectedEdges([]);
          onSelect([]);
        }}
        onNodeContextMenu={(event, node) => {
          if (!nodeMenu) return;
          event.preventDefault();
          setMenu({ nodeId: node.id, at: { x: event.clientX, y: event.clientY } });
        }}
      />
      {menu && nodeMenu && (
        <NodeMenu nodeId={menu.nodeId} items={nodeMenu(menu.nodeId)} at={menu.at} onClose={closeMenu} />
      )}
    </div>
  );
}
