import type { ReactNode } from 'react';
import type { NodeDefinition } from '../types';
import { describeFieldChange, edgeLabel, isEmptyDiff, type DefinitionDiff } from './definition-diff';

/** Every change in words, each line led by its sign (+ added, − removed, ~ changed, ↔ moved). */
export function ChangeList({ diff }: { diff: DefinitionDiff }) {
  const { nodes, edges } = diff;
  return (
    <section className="change-list" aria-label="Changes">
      <h3>Changes</h3>
      {isEmptyDiff(diff) && <p>None: the two define the same workflow.</p>}
      <ul aria-label="List of changes">
        {nodes.added.map((node) => (
          <Change key={`+${node.id}`} kind="added" sign="+">
            Node <NodeName node={node} /> added
          </Change>
        ))}
        {nodes.removed.map((node) => (
          <Change key={`-${node.id}`} kind="removed" sign="−">
            Node <NodeName node={node} /> removed
          </Change>
        ))}
        {nodes.changed.map((node) => (
          <Change key={`~${node.id}`} kind="changed" sign="~">
            Node <code>{node.id}</code> changed{node.moved ? ' (and moved)' : ''}:
            <ul aria-label={`What changed in ${node.id}`}>
              {node.fields.map((field) => (
                <li key={field.path} className="field-change">
                  <code>{describeFieldChange(field)}</code>
                </li>
              ))}
            </ul>
          </Change>
        ))}
        {nodes.moved.map((id) => (
          <Change key={`>${id}`} kind="moved" sign="↔">
            Node <code>{id}</code> moved on the canvas (nothing that runs changed)
          </Change>
        ))}
        {edges.added.map((edge) => (
          <Change key={`+${edgeLabel(edge)}`} kind="added" sign="+">
            Edge <code>{edgeLabel(edge)}</code> added
          </Change>
        ))}
        {edges.removed.map((edge) => (
          <Change key={`-${edgeLabel(edge)}`} kind="removed" sign="−">
            Edge <code>{edgeLabel(edge)}</code> removed
          </Change>
        ))}
      </ul>
    </section>
  );
}

function Change({ kind, sign, children }: { kind: string; sign: string; children: ReactNode }) {
  return (
    <li className={`change change-${kind}`} data-change={kind}>
      <span className="change-sign" aria-hidden="true">
        {sign}
      </span>{' '}
      {children}
    </li>
  );
}

function NodeName({ node }: { node: NodeDefinition }) {
  return (
    <>
      <code>{node.id}</code> <span className="type">({node.type})</span>
    </>
  );
}
