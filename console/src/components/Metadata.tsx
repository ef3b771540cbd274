import { EMPTY_ROW, type MetadataRow } from '../metadata-rows';
import { NO_FILTERS, queryFromFilters } from '../run-filters';
import { Link } from '../router';

/** A run's metadata as key/value chips; with `linked`, each opens the runs that carry the same pair. */
export function MetadataChips({ metadata, linked = false }: { metadata: Record<string, string>; linked?: boolean }) {
  const pairs = Object.entries(metadata);
  if (pairs.length === 0) return null;
  return (
    <ul className="chips" aria-label="Metadata">
      {pairs.map(([key, value]) => {
        const chip = (
          <>
            <span className="chip-key">{key}</span> = {value}
          </>
        );
        return (
          <li key={key} className="chip">
            {linked ? (
              <Link
                to={`/runs?${queryFromFilters({ ...NO_FILTERS, metadata: { [key]: value } })}`}
                title={`Runs with ${key} = ${value}`}
              >
                {chip}
              </Link>
            ) : (
              chip
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** Editable key/value pairs (run metadata to set, or to filter by); rows without a key count for nothing. */
export function MetadataEditor({
  legend,
  rows,
  onChange,
}: {
  legend: string;
  rows: MetadataRow[];
  onChange: (rows: MetadataRow[]) => void;
}) {
  const change = (index: number, row: Partial<MetadataRow>) =>
    onChange(rows.map((current, at) => (at === index ? { ...current, ...row } : current)));
  return (
    <fieldset className="metadata-editor">
      <legend>{legend}</legend>
      {rows.map((row, index) => (
        <div className="metadata-row" key={index}>
          <input
            aria-label={`${legend} key ${index + 1}`}
            placeholder="key"
            value={row.key}
            onChange={(event) => change(index, { key: event.target.value })}
          />
          <span aria-hidden="true">=</span>
          <input
            aria-label={`${legend} value ${index + 1}`}
            placeholder="value"
            value={row.value}
            onChange={(event) => change(index, { value: event.target.value })}
          />
          <button
            type="button"
            aria-label={`Remove ${legend.toLowerCase()} pair ${index + 1}`}
            onClick={() => onChange(rows.length > 1 ? rows.filter((_, at) => at !== index) : [EMPTY_ROW])}
          >
            ×
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, EMPTY_ROW])}>
        Add pair
      </button>
    </fieldset>
  );
}
