import { useId, useMemo } from 'react';
import type { Definition } from '../types';
import type { ComparedPair } from './DefinitionDiffView';
import { diffLines, hunkHeader, unifiedHunks, type DiffLine } from './line-diff';
import { count } from './wording';

const SIGN: Record<DiffLine['kind'], string> = { same: ' ', removed: '-', added: '+' };

/**
 * The two definitions pretty-printed and diffed line by line, shown unified with three lines of
 * context. Each changed line carries its sign, is a <del> or <ins>, and says "removed"/"added" to
 * screen readers, so colour is never the only cue.
 */
export function JsonDiff({ before, after, beforeLabel, afterLabel }: ComparedPair) {
  const lines = useMemo(() => diffLines(prettyLines(before), prettyLines(after)), [before, after]);
  const hunks = useMemo(() => unifiedHunks(lines), [lines]);
  const removed = lines.filter((line) => line.kind === 'removed').length;
  const added = lines.filter((line) => line.kind === 'added').length;
  const id = useId();
  return (
    <section className="json-diff" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>JSON diff</h3>
      <p className="hint" id={`${id}-summary`}>
        {hunks.length
          ? `${count(removed, 'line')} removed (−, only in ${beforeLabel}), ${count(added, 'line')} added (+, only in ${afterLabel}).`
          : 'The two definitions are the same text.'}
      </p>
      {hunks.length > 0 && (
        <div
          className="json-diff-lines"
          role="region"
          aria-label="JSON diff lines"
          aria-describedby={`${id}-summary`}
          tabIndex={0}
        >
          {hunks.map((hunk) => (
            <div className="diff-hunk" key={hunkHeader(hunk)}>
              <div className="diff-hunk-header">{hunkHeader(hunk)}</div>
              {hunk.lines.map((line, index) => (
                <Line line={line} key={index} />
              ))}
            </div>
          ))}
        </div>
      )}
    </section>
  );
}

function Line({ line }: { line: DiffLine }) {
  const content = (
    <>
      <span className="diff-number" aria-hidden="true">
        {line.oldNumber ?? ''}
      </span>
      <span className="diff-number" aria-hidden="true">
        {line.newNumber ?? ''}
      </span>
      <span className="diff-sign" aria-hidden="true">
        {SIGN[line.kind]}
      </span>
      {line.kind !== 'same' && <span className="visually-hidden">{line.kind}: </span>}
      <span className="diff-text">{line.text}</span>
    </>
  );
  if (line.kind === 'removed') return <del className="diff-line removed">{content}</del>;
  if (line.kind === 'added') return <ins className="diff-line added">{content}</ins>;
  return <div className="diff-line same">{content}</div>;
}

function prettyLines(definition: Definition): string[] {
  return JSON.stringify(definition, null, 2).split('\n');
}
