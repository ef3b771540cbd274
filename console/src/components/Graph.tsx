import { Background, Controls, Handle, Position, ReactFlow, type Edge, type Node, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';
import { layoutDefinition, NODE_HEIGHT, NODE_WIDTH } from '../layout';
import type { NodeStatus } from '../run-state';
import type { Definition } from '../types';

export interface GraphNodeInfo {
  status?: NodeStatus;
  /** Validation messages placed on the node (422 paths under definition.nodes[i] or its edges). */
  problems?: string[];
  /** Latest streamed text (LLM tokens). */
  streamed?: string;
  /** What a waiting node waits for (a signal, a time). */
  waitingFor?: string;
  /** For a reused node: the run whose outputs it took over. */
  reusedFrom?: string;
}

interface StepData extends Record<string, unknown> {
  nodeId: string;
  nodeType: string;
  info: GraphNodeInfo;
  selected: boolean;
}

function StepNode({ data }: NodeProps<Node<StepData>>) {
  const { status, problems, streamed, waitingFor, reusedFrom } = data.info;
  const classes = ['step', status ? `status-${status.replace(' ', '-')}` : '', problems?.length ? 'has-problems' : ''];
  return (
    <div
      className={classes.join(' ')}
      style={{ width: NODE_WIDTH, minHeight: NODE_HEIGHT }}
      data-testid={`graph-node-${data.nodeId}`}
      data-status={status}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="step-title">{data.nodeId}</div>
      <div className="step-type">{data.nodeType}</div>
      {status && <div className="step-status">{status}</div>}
      {waitingFor && <div className="step-wait">{waitingFor}</div>}
      {reusedFrom && <div className="step-reused">from run {reusedFrom.slice(0, 8)}</div>}
      {streamed && <div className="step-streamed">{streamed.slice(-80)}</div>}
      {problems?.map((problem) => (
        <div className="step-problem" key={problem} role="alert">
          {problem}
        </div>
      ))}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}

const NODE_TYPES = { step: StepNode };

/** A definition drawn as a left-to-right graph; `info` adds live status, problems and streamed text per node. */
export function Graph({
  definition,
  info = {},
  selectedNodeId,
  onSelect,
  label,
}: {
  definition: Definition;
  info?: Record<string, GraphNodeInfo>;
  selectedNodeId?: string;
  onSelect?: (nodeId: string) => void;
  label: string;
}) {
  const positions = useMemo(() => layoutDefinition(definition), [definition]);
  const nodes: Node<StepData>[] = definition.nodes.map((node) => ({
    id: node.id,
    type: 'step',
    position: positions.get(node.id) ?? { x: 0, y: 0 },
    // Drawn (and fitted) at once, before React Flow has measured the node.
    initialWidth: NODE_WIDTH,
    initialHeight: NODE_HEIGHT,
    selected: node.id === selectedNodeId,
    ariaLabel: `${node.id} (${node.type})${info[node.id]?.status ? `: ${info[node.id]?.status}` : ''}`,
    data: { nodeId: node.id, nodeType: node.type, info: info[node.id] ?? {}, selected: node.id === selectedNodeId },
  }));
  const edges: Edge[] = definition.edges.map((edge, index) => ({
    id: `e${index}`,
    source: edge.from.node_id,
    target: edge.to.node_id,
    label: `${edge.from.output} → ${edge.to.input}`,
    animated: info[edge.to.node_id]?.status === 'running',
  }));
  return (
    <section className="graph" aria-label={label}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        fitView
        fitViewOptions={{ padding: 0.15 }}
        minZoom={0.2}
        nodesDraggable={false}
        nodesConnectable={false}
        edgesFocusable={false}
        onNodeClick={(_, node) => onSelect?.(node.id)}
        // Keyboard selection (Enter on a focused node) arrives as a node change, not a click.
        onNodesChange={(changes) => {
          const chosen = changes.find((change) => change.type === 'select' && change.selected);
          if (chosen && 'id' in chosen) onSelect?.(chosen.id);
        }}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </section>
  );
}
