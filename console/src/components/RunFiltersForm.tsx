import { useState, type FormEvent } from 'react';
import { metadataFromRows, rowsFromMetadata } from '../metadata-rows';
import {
  isoFromLocalInput,
  localInputFromIso,
  NO_FILTERS,
  type IdFilter,
  type RunFilters,
  type TimeFilter,
} from '../run-filters';
import { RUN_STATUSES, type Workflow } from '../types';
import { CheckboxGroup } from './common';
import { MetadataEditor } from './Metadata';

const TIME_FIELDS: [TimeFilter, string][] = [
  ['created_after', 'Created after'],
  ['created_before', 'Created before'],
  ['finished_after', 'Finished after'],
  ['finished_before', 'Finished before'],
];

const ID_FIELDS: [Exclude<IdFilter, 'workflow_id'>, string][] = [
  ['schedule_id', 'Schedule id'],
  ['parent_run_id', 'Parent run id'],
  ['root_run_id', 'Root run id'],
  ['retry_of', 'Retry of (run id)'],
];

/**
 * The runs search's filters, edited as a draft and applied together (`onApply`), so the list and
 * the address change once per search, not per keystroke.
 */
export function RunFiltersForm({
  applied,
  workflows,
  onApply,
}: {
  applied: RunFilters;
  workflows: Workflow[];
  onApply: (filters: RunFilters) => void;
}) {
  const [draft, setDraft] = useState(applied);
  const [metadataRows, setMetadataRows] = useState(() => rowsFromMetadata(applied.metadata));
  const set = (change: Partial<RunFilters>) => setDraft((current) => ({ ...current, ...change }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply({ ...draft, metadata: metadataFromRows(metadataRows) });
  };
  // A link may name a workflow the list does not hold (deleted, or beyond the newest 2,000).
  const unlisted = draft.workflow_id && !workflows.some((workflow) => workflow.id === draft.workflow_id);

  return (
    <form className="run-filters" onSubmit={submit} aria-label="Run filters">
      <CheckboxGroup
        className="statuses wide-field"
        legend="Status"
        options={RUN_STATUSES}
        chosen={draft.status}
        onChange={(status) => set({ status })}
      />
      <div className="field">
        <label htmlFor="filter-workflow">Workflow</label>
        <select
          id="filter-workflow"
          value={draft.workflow_id ?? ''}
          onChange={(event) => set({ workflow_id: event.target.value || undefined })}
        >
          <option value="">any workflow</option>
          {unlisted && <option value={draft.workflow_id}>{draft.workflow_id}</option>}
          {[...workflows]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((workflow) => (
              <option key={workflow.id} value={workflow.id}>
                {workflow.name}
              </option>
            ))}
        </select>
      </div>
      {TIME_FIELDS.map(([name, label]) => (
        <div className="field" key={name}>
          <label htmlFor={`filter-${name}`}>{label}</label>
          <input
            id={`filter-${name}`}
            type="datetime-local"
            step={1}
            value={localInputFromIso(draft[name])}
            onChange={(event) => set({ [name]: isoFromLocalInput(event.target.value) })}
          />
        </div>
      ))}
      {ID_FIELDS.map(([name, label]) => (
        <div className="field" key={name}>
          <label htmlFor={`filter-${name}`}>{label}</label>
          <input
            id={`filter-${name}`}
            spellCheck={false}
            value={draft[name] ?? ''}
            onChange={(event) => set({ [name]: event.target.value.trim() || undefined })}
          />
        </div>
      ))}
      <div className="wide-field">
        <MetadataEditor legend="Metadata" rows={metadataRows} onChange={setMetadataRows} />
        <span className="hint">Every pair must match.</span>
      </div>
      <div className="toolbar wide-field">
        <button type="submit">Search</button>
        <button
          type="button"
          onClick={() => {
            setDraft(NO_FILTERS);
            setMetadataRows(rowsFromMetadata({}));
            onApply(NO_FILTERS);
          }}
        >
          Clear filters
        </button>
      </div>
    </form>
  );
}
