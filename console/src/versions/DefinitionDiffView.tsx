import { useMemo } from 'react';
import { Graph, type GraphNodeInfo } from '../graph/Graph';
import type { Definition } from '../types';
import { ChangeList } from './ChangeList';
import { diffDefinitions, summariseDiff, unionOfDiff, type NodeDiffKind } from './definition-diff';
import { JsonDiff } from './JsonDiff';

const legend = (beforeLabel: string, afterLabel: string): { kind: NodeDiffKind; text: string }[] => [
  { kind: 'added', text: `added: only in ${afterLabel}` },
  { kind: 'removed', text: `removed: only in ${beforeLabel} (dashed border)` },
  { kind: 'changed', text: 'changed: its type, config or policies differ' },
];

/** Two definitions to compare, and what the person knows them as (`version 2 (exclaimed)`). */
export interface ComparedPair {
  before: Definition;
  after: Definition;
  beforeLabel: string;
  afterLabel: string;
}

/**
 * How definition `after` differs from `before`: both drawn as one graph with each added, removed
 * or changed node marked (in words on the card as well as by colour), the list of changes with
 * what changed in each node, and the JSON diff.
 */
export function DefinitionDiffView({ before, after, beforeLabel, afterLabel }: ComparedPair) {
  const diff = useMemo(() => diffDefinitions(before, after), [before, after]);
  const union = useMemo(() => unionOfDiff(before, after, diff), [before, after, diff]);
  const info: Record<string, GraphNodeInfo> = Object.fromEntries(
    Object.entries(union.kinds).map(([nodeId, kind]) => [nodeId, { diff: kind }]),
  );
  return (
    <div className="definition-diff">
      <p role="status" className="diff-summary">
        From {beforeLabel} to {afterLabel}: {summariseDiff(diff)}
      </p>
      <ul className="diff-legend" aria-label="Legend of the graph's marks">
        {legend(beforeLabel, afterLabel).map(({ kind, text }) => (
          <li key={kind}>
            <span className={`legend-swatch card diff-${kind}`} aria-hidden="true" /> {text}
          </li>
        ))}
      </ul>
      <Graph
        key={`${beforeLabel}|${afterLabel}`}
        definition={union.definition}
        info={info}
        label={`Graph of both definitions, differences marked, from ${beforeLabel} to ${afterLabel}`}
      />
      <ChangeList diff={diff} />
      <JsonDiff before={before} after={after} beforeLabel={beforeLabel} afterLabel={afterLabel} />
    </div>
  );
}
