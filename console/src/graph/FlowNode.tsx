import { Handle, Position, useUpdateNodeInternals, type Node, type NodeProps } from '@xyflow/react';
import { useEffect, useState } from 'react';
import { formatJson } from '../hooks';
import type { NodeStatus } from '../run-state';
import type { NodeDefinition } from '../types';
import { NODE_WIDTH, PORT_ROW_HEIGHT } from './layout';
import type { NodePorts } from './ports';
import { summarise, titleOf } from './summary';

export type DiffMark = 'added' | 'removed' | 'changed';

/** What a view adds to a node's card, per node id. */
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
  /** How the node differs between two compared definitions. */
  diff?: DiffMark;
  /** The values a run gave the node and the ones it produced, shown folded on the card. */
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  error?: string;
  /** The attempt a run is on, and how many the node's retry policy allows. */
  attempt?: { number: number; of?: number };
}

export interface NodeMenuItem {
  label: string;
  onSelect: () => void;
}

export interface FlowNodeData extends Record<string, unknown> {
  node: NodeDefinition;
  ports: NodePorts;
  info: GraphNodeInfo;
  /** Whether ports may be connected by dragging (the editor). */
  connectable: boolean;
  menu?: NodeMenuItem[];
}

const DIFF_TEXT: Record<DiffMark, string> = { added: 'added', removed: 'removed', changed: 'changed' };

/**
 * A node's card: its title (an InputNode's or OutputNode's label, else its id), type, a one-line
 * summary of its config, one handle per port (none where the node has no port), and what the view
 * adds: status, attempt, problems, streamed text, data, a diff mark.
 */
export function FlowNode({ id, data }: NodeProps<Node<FlowNodeData>>) {
  const { node, ports, info, connectable, menu } = data;
  const title = titleOf(node);
  const summary = summarise(node);
  const classes = [
    'card',
    info.status ? `status-${info.status.replace(' ', '-')}` : '',
    info.problems?.length ? 'has-problems' : '',
    info.diff ? `diff-${info.diff}` : '',
  ];
  // Handles that appear or go (a template's placeholders) must be measured again for edges to meet them.
  const updateNodeInternals = useUpdateNodeInternals();
  const portKey = [...ports.inputs.map((port) => port.name), '|', ...ports.outputs.map((port) => port.name)].join(',');
  useEffect(() => updateNodeInternals(id), [id, portKey, updateNodeInternals]);
  return (
    <div
      className={classes.join(' ')}
      style={{ width: NODE_WIDTH }}
      data-testid={`graph-node-${id}`}
      data-status={info.status}
      data-diff={info.diff}
    >
      <div className="card-head">
        <div className="card-title">{title}</div>
        {menu?.length ? <NodeMenu nodeId={id} items={menu} /> : null}
      </div>
      <div className="card-type">
        {node.type}
        {title !== id && ` · ${id}`}
      </div>
      {summary && (
        <div className="card-summary" title={summary}>
          {summary}
        </div>
      )}
      <div className="card-ports">
        <ul aria-label="inputs">
          {ports.inputs.map((port) => (
            <li key={port.name} style={{ height: PORT_ROW_HEIGHT }} title={port.description}>
              <Handle type="target" id={port.name} position={Position.Left} isConnectable={connectable} />
              {port.name}
              {port.required && <abbr title="required">*</abbr>}
            </li>
          ))}
        </ul>
        <ul aria-label="outputs">
          {ports.outputs.map((port) => (
            <li key={port.name} style={{ height: PORT_ROW_HEIGHT }} title={port.description}>
              {port.name}
              <Handle type="source" id={port.name} position={Position.Right} isConnectable={connectable} />
            </li>
          ))}
        </ul>
      </div>
      <NodeInfoLines info={info} />
    </div>
  );
}

function NodeInfoLines({ info }: { info: GraphNodeInfo }) {
  const { status, attempt, diff, waitingFor, reusedFrom, streamed, error, problems, inputs, outputs } = info;
  return (
    <>
      {(status || attempt) && (
        <div className="card-status">
          {status}
          {attempt && attempt.number > 1 && ` · attempt ${attempt.number}${attempt.of ? ` of ${attempt.of}` : ''}`}
        </div>
      )}
      {diff && <div className="card-diff">{DIFF_TEXT[diff]}</div>}
      {waitingFor && <div className="card-wait">{waitingFor}</div>}
      {reusedFrom && <div className="card-reused">from run {reusedFrom.slice(0, 8)}</div>}
      {streamed && <div className="card-streamed">{streamed.slice(-120)}</div>}
      {error && <div className="card-error">{error}</div>}
      {problems?.map((problem) => (
        <div className="card-problem" key={problem} role="alert">
          {problem}
        </div>
      ))}
      {(inputs || outputs) && (
        <details className="card-data nodrag nowheel">
          <summary>Data</summary>
          {inputs && <DataBlock label="inputs" value={inputs} />}
          {outputs && <DataBlock label="outputs" value={outputs} />}
        </details>
      )}
    </>
  );
}

function DataBlock({ label, value }: { label: string; value: unknown }) {
  return (
    <>
      <div className="card-data-label">{label}</div>
      <pre tabIndex={0}>{formatJson(value)}</pre>
    </>
  );
}

/** The "⋯" button of a node and the actions it offers (also reachable by keyboard). */
function NodeMenu({ nodeId, items }: { nodeId: string; items: NodeMenuItem[] }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="card-menu nodrag">
      <button
        type="button"
        aria-label={`Actions for ${nodeId}`}
        aria-expanded={open}
        onClick={(event) => {
          event.stopPropagation();
          setOpen(!open);
        }}
      >
        ⋯
      </button>
      {open && (
        <ul>
          {items.map((item) => (
            <li key={item.label}>
              <button
                type="button"
                onClick={(event) => {
                  event.stopPropagation();
                  setOpen(false);
                  item.onSelect();
                }}
              >
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
