import type { ComparedDefinition } from './compared-definitions';
import { DefinitionDiffView } from './DefinitionDiffView';

export interface Comparison {
  before: string;
  after: string;
}

/** Two pickers over the draft and the versions, and the diff of the two chosen. */
export function CompareDefinitions({
  sources,
  chosen,
  onChoose,
}: {
  sources: ComparedDefinition[];
  chosen?: Comparison;
  onChoose: (comparison: Comparison) => void;
}) {
  const before = sources.find((source) => source.key === chosen?.before);
  const after = sources.find((source) => source.key === chosen?.after);
  return (
    <section className="compare" aria-labelledby="compare-title">
      <h2 id="compare-title">Compare two definitions</h2>
      {sources.length < 2 || !chosen ? (
        <p>Snapshot the draft to compare it with a version.</p>
      ) : (
        <>
          <div className="toolbar">
            <label htmlFor="compare-before">Compare</label>
            <Picker
              id="compare-before"
              sources={sources}
              value={chosen.before}
              onChange={(key) => onChoose({ ...chosen, before: key })}
            />
            <label htmlFor="compare-after">with</label>
            <Picker
              id="compare-after"
              sources={sources}
              value={chosen.after}
              onChange={(key) => onChoose({ ...chosen, after: key })}
            />
            <button type="button" onClick={() => onChoose({ before: chosen.after, after: chosen.before })}>
              Swap
            </button>
          </div>
          {before && after && (
            <DefinitionDiffView
              before={before.definition}
              after={after.definition}
              beforeLabel={before.label}
              afterLabel={after.label}
            />
          )}
        </>
      )}
    </section>
  );
}

function Picker({
  id,
  sources,
  value,
  onChange,
}: {
  id: string;
  sources: ComparedDefinition[];
  value: string;
  onChange: (key: string) => void;
}) {
  return (
    <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
      {sources.map((source) => (
        <option key={source.key} value={source.key}>
          {source.label}
        </option>
      ))}
    </select>
  );
}
