import { useState } from 'react';
import { nodeStatus, type RunState } from '../run-state';
import type { Definition } from '../types';
import { Graph } from '../graph/Graph';
import { runNodeInfo } from '../run-info';
import { NodeDetails, ReusedFromLink } from './NodeDetails';
import { StatusBadge } from './RunsTable';
import { ColumnHeads } from './common';

/** A run's graph with each node's live status, a table of the nodes, and the chosen node's details. */
export function RunView({ runId, definition, state }: { runId: string; definition: Definition; state: RunState }) {
  const [selected, setSelected] = useState<string>();
  const [focused, setFocused] = useState<string>();
  const info = runNodeInfo(definition, state);
  const selectedNode = definition.nodes.find((node) => node.id === selected);
  return (
    <div className="columns">
      <div className="wide">
        <Graph
          definition={definition}
          info={info}
          selectedNodeId={selected}
          focusNodeId={focused}
          onSelect={setSelected}
          label="Run graph"
        />
        <table className="node-table">
          <caption>Nodes</caption>
          <ColumnHeads names={['Node', 'Type', 'Status', 'Duration']} />
          <tbody>
            {definition.nodes.map((node) => {
              const shown = state.nodes[node.id];
              return (
                <tr
                  key={node.id}
                  className={node.id === selected ? 'selected' : undefined}
                  data-testid={`node-row-${node.id}`}
                >
                  <td>
                    <button
                      type="button"
                      className="link"
                      onClick={() => {
                        setSelected(node.id);
                        setFocused(node.id);
                      }}
                    >
                      {node.id}
                    </button>
                  </td>
                  <td>{node.type}</td>
                  <td>
                    <StatusBadge status={nodeStatus(state, node.id)} />
                    {shown?.reusedFrom && (
                      <>
                        {' '}
                        from <ReusedFromLink runId={shown.reusedFrom} />
                      </>
                    )}
                  </td>
                  <td>{shown?.durationMs != null ? `${shown.durationMs} ms` : ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="side">
        {selectedNode ? (
          <NodeDetails
            key={selectedNode.id}
            runId={runId}
            nodeId={selectedNode.id}
            nodeType={selectedNode.type}
            status={nodeStatus(state, selectedNode.id)}
            node={state.nodes[selectedNode.id]}
          />
        ) : (
          <p className="hint">Choose a node (in the graph or the table) to see its inputs, outputs and timings.</p>
        )}
      </div>
    </div>
  );
}
