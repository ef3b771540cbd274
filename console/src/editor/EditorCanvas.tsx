import {
  Background,
  Controls,
  Handle,
  MiniMap,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Connection,
  type Edge,
  type Node,
  type NodeProps,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useMemo, useState, type DragEvent, type ReactNode } from 'react';
import type { GraphNodeInfo } from '../components/Graph';
import { NODE_HEIGHT, NODE_WIDTH } from '../layout';
import type { Definition, NodeDefinition } from '../types';
import {
  connect,
  connectionRefusal,
  deleteNodes,
  disconnect,
  moveNodes,
  type Endpoint,
  type PortsOf,
  type XY,
} from './definition-edits';
import { NodeMenu, type NodeMenuItem } from './NodeMenu';
import { positionsOf } from './placement';
import './editor.css';

export type { NodeMenuItem };

/** The drag-and-drop type a palette entry carries: the node type's name. */
export const NODE_TYPE_DRAG = 'application/x-runloom-node-type';

export interface NodePorts {
  inputs: { name: string; required: boolean; description?: string }[];
  outputs: { name: string; description?: string }[];
}

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
  /** Ports per node id (from live validation, else the catalog); nodes absent here draw no handle. */
  ports: Record<string, NodePorts>;
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

interface CardData extends Record<string, unknown> {
  node: NodeDefinition;
  ports?: NodePorts;
  info: GraphNodeInfo;
  openMenu?: (nodeId: string, at: XY) => void;
}

/** Ports as plain names, for the model's checks. */
export function portNames(ports: Record<string, NodePorts>): PortsOf {
  return (nodeId) => {
    const known = ports[nodeId];
    return known && { inputs: known.inputs.map((port) => port.name), outputs: known.outputs.map((port) => port.name) };
  };
}

function EditableCard({ data, selected }: NodeProps<Node<CardData>>) {
  const { node, ports, info, openMenu } = data;
  const label = typeof node.config?.label === 'string' ? node.config.label : node.id;
  return (
    <div
      className={`step editor-card${info.problems?.length ? ' has-problems' : ''}${selected ? ' is-selected' : ''}`}
      style={{ width: NODE_WIDTH, minHeight: NODE_HEIGHT }}
      data-testid={`graph-node-${node.id}`}
      data-status={info.status}
    >
      <div className="step-title">{label}</div>
      <div className="step-type">{node.type}</div>
      {info.status && <div className="step-status">{info.status}</div>}
      <div className="editor-ports">
        <ul aria-label="Inputs">
          {ports?.inputs.map((port) => (
            <li key={port.name} className="editor-port">
              <Handle
                type="target"
                position={Position.Left}
                id={port.name}
                aria-label={`${node.id} input ${port.name}`}
              />
              {port.name}
              {port.required ? '' : '?'}
            </li>
          ))}
        </ul>
        <ul aria-label="Outputs">
          {ports?.outputs.map((port) => (
            <li key={port.name} className="editor-port is-output">
              {port.name}
              <Handle
                type="source"
                position={Position.Right}
                id={port.name}
                aria-label={`${node.id} output ${port.name}`}
              />
            </li>
          ))}
        </ul>
      </div>
      {info.problems?.map((problem) => (
        <div className="step-problem" key={problem}>
          {problem}
        </div>
      ))}
      {openMenu && (
        <button
          type="button"
          className="node-menu-button nodrag"
          aria-label={`Actions for ${node.id}`}
          onClick={(event) => {
            const box = event.currentTarget.getBoundingClientRect();
            openMenu(node.id, { x: box.left, y: box.bottom });
          }}
        >
          ⋯
        </button>
      )}
    </div>
  );
}

const NODE_TYPES = { editable: EditableCard };

function Canvas(props: EditorCanvasProps) {
  const { definition, ports, problems, selected, onSelect, onEdit, onDropType, onRefused, runInfo, nodeMenu } = props;
  const flow = useReactFlow();
  const [dragged, setDragged] = useState<Record<string, XY>>({});
  const [selectedEdges, setSelectedEdges] = useState<string[]>([]);
  const [menu, setMenu] = useState<{ nodeId: string; at: XY }>();
  const positions = useMemo(() => positionsOf(definition), [definition]);
  const portsOf = useMemo(() => portNames(ports), [ports]);
  const openMenu = useCallback((nodeId: string, at: XY) => setMenu({ nodeId, at }), []);

  const nodes: Node<CardData>[] = definition.nodes.map((node) => ({
    id: node.id,
    type: 'editable',
    position: dragged[node.id] ?? positions.get(node.id) ?? { x: 0, y: 0 },
    initialWidth: NODE_WIDTH,
    initialHeight: NODE_HEIGHT,
    selected: selected.includes(node.id),
    ariaLabel: `${node.id} (${node.type})`,
    data: {
      node,
      ports: ports[node.id],
      info: {
        ...runInfo?.[node.id],
        problems: [...(problems[node.id] ?? []), ...(runInfo?.[node.id]?.problems ?? [])],
      },
      openMenu: nodeMenu && openMenu,
    },
  }));
  const edges: Edge[] = definition.edges.map((edge, index) => ({
    id: `e${index}`,
    source: edge.from.node_id,
    sourceHandle: edge.from.output,
    target: edge.to.node_id,
    targetHandle: edge.to.input,
    selected: selectedEdges.includes(`e${index}`),
    ariaLabel: `edge from ${edge.from.node_id}.${edge.from.output} to ${edge.to.node_id}.${edge.to.input}`,
    animated: runInfo?.[edge.to.node_id]?.status === 'running',
  }));

  const endpoint = (connection: Connection | Edge): Endpoint => ({
    from: { node_id: connection.source, output: connection.sourceHandle ?? '' },
    to: { node_id: connection.target, input: connection.targetHandle ?? '' },
  });

  const onDrop = (event: DragEvent) => {
    const type = event.dataTransfer.getData(NODE_TYPE_DRAG);
    if (!type) return;
    event.preventDefault();
    const point = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
    onDropType(type, { x: point.x - NODE_WIDTH / 2, y: point.y - NODE_HEIGHT / 2 });
  };

  return (
    <div
      className="graph editor-canvas"
      onDragOver={(event) => {
        if (event.dataTransfer.types.includes(NODE_TYPE_DRAG)) {
          event.preventDefault();
          event.dataTransfer.dropEffect = 'copy';
        }
      }}
      onDrop={onDrop}
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        fitView
        fitViewOptions={{ padding: 0.2, maxZoom: 1 }}
        minZoom={0.2}
        deleteKeyCode={['Delete', 'Backspace']}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        isValidConnection={(connection) => !connectionRefusal(definition, endpoint(connection), portsOf)}
        onConnect={(connection) => {
          const result = connect(definition, endpoint(connection), portsOf);
          if ('refused' in result) onRefused(result.refused);
          else onEdit(result.definition);
        }}
        onConnectEnd={(_, state) => {
          if (state.isValid !== false || !state.toHandle || !state.fromHandle) return;
          const [output, input] =
            state.fromHandle.type === 'source'
              ? [state.fromHandle, state.toHandle]
              : [state.toHandle, state.fromHandle];
          const reason = connectionRefusal(
            definition,
            {
              from: { node_id: output.nodeId, output: output.id ?? '' },
              to: { node_id: input.nodeId, input: input.id ?? '' },
            },
            portsOf,
          );
          onRefused(reason ?? 'an edge goes from an output (right side) to an input (left side)');
        }}
        onNodesChange={(changes) => {
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
          const edgeIndexes = goneEdges.map((edge) => Number(edge.id.slice(1)));
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
      >
        <Background />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable ariaLabel="Minimap of the workflow" />
      </ReactFlow>
      {menu && nodeMenu && (
        <NodeMenu nodeId={menu.nodeId} items={nodeMenu(menu.nodeId)} at={menu.at} onClose={() => setMenu(undefined)} />
      )}
    </div>
  );
}

/** The definition drawn as an editable graph: drop types, drag nodes, connect ports, delete. */
export function EditorCanvas(props: EditorCanvasProps) {
  return (
    <ReactFlowProvider>
      <Canvas {...props} />
    </ReactFlowProvider>
  );
}
