import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { formatJson, useLoad } from '../hooks';
import { metadataFromRows, rowsFromMetadata } from '../metadata-rows';
import { CURRENT_DRAFT, recoveryBody, recoveryPath, type RecoveryKind } from '../run-recovery';
import { navigate } from '../router';
import type { Page, Run, WorkflowVersion } from '../types';
import { MetadataEditor } from './Metadata';
import { CheckboxGroup, ProblemAlert } from './common';

const TITLES: Record<RecoveryKind, { heading: string; submit: string; explain: string }> = {
  retry: {
    heading: 'Retry this run',
    submit: 'Start retry',
    explain:
      'A new run that reuses the outputs of the nodes that completed here (unless their inputs or config changed) and runs the rest.',
  },
  replay: {
    heading: 'Replay this run',
    submit: 'Start replay',
    explain: 'A new run of the same input, every node executed again.',
  },
};

/**
 * Starts a retry or a replay of a finished run (async), then shows the new run. Every choice is
 * optional: left alone, the new run takes the source run's definition, input and settings.
 */
export function RecoveryForm({
  run,
  kind,
  nodeIds,
  onCancel,
}: {
  run: Run;
  kind: RecoveryKind;
  nodeIds: string[];
  onCancel: () => void;
}) {
  const versions = useLoad(
    (signal) => api.get<Page<WorkflowVersion>>(`/v1/workflows/${run.workflow_id}/versions?page_size=100`, signal),
    [run.workflow_id],
  );
  const [definition, setDefinition] = useState('');
  const [fromNodeIds, setFromNodeIds] = useState<string[]>([]);
  const [inputText, setInputText] = useState('');
  const [metadataRows, setMetadataRows] = useState(() => rowsFromMetadata(run.metadata));
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const title = TITLES[kind];
  const id = (name: string) => `${kind}-${name}`;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(undefined);
    setBusy(true);
    try {
      const choices = { definition, fromNodeIds, inputText, metadata: metadataFromRows(metadataRows) };
      const body = recoveryBody(kind, choices, run.metadata);
      const started = await api.post<Run>(recoveryPath(kind, run.id), body);
      navigate(`/runs/${started.id}`);
    } catch (error) {
      setFailure(error);
      setBusy(false);
    }
  };

  return (
    <form className="run-form recovery-form" onSubmit={submit} aria-labelledby={id('title')}>
      <h2 id={id('title')}>{title.heading}</h2>
      <p className="hint">{title.explain}</p>
      <div className="field">
        <label htmlFor={id('definition')}>Definition</label>
        <select id={id('definition')} value={definition} onChange={(event) => setDefinition(event.target.value)}>
          <option value="">the one this run ran</option>
          <option value={CURRENT_DRAFT}>the current draft</option>
          {versions.data?.items.map((version) => (
            <option key={version.id} value={version.id}>
              version {version.number}: {version.name}
            </option>
          ))}
        </select>
        {versions.error && <span className="error">Versions: {versions.error}</span>}
      </div>
      {kind === 'retry' && nodeIds.length > 0 && (
        <CheckboxGroup
          className="node-choice"
          legend="Run again from these nodes (and everything downstream)"
          options={nodeIds}
          chosen={fromNodeIds}
          onChange={setFromNodeIds}
        />
      )}
      <div className="field">
        <label htmlFor={id('input')}>Input overrides (optional)</label>
        <textarea
          id={id('input')}
          className="code"
          rows={3}
          spellCheck={false}
          placeholder='{"label": "new value"}'
          aria-describedby={id('input-help')}
          value={inputText}
          onChange={(event) => setInputText(event.target.value)}
        />
        <span id={id('input-help')} className="hint">
          A JSON object merged over this run’s input: <code>{formatJson(run.input)}</code>
        </span>
      </div>
      <MetadataEditor legend="Metadata" rows={metadataRows} onChange={setMetadataRows} />
      <p className="hint">The new run carries this run’s metadata, or what you change it to.</p>
      <div className="toolbar">
        <button type="submit" disabled={busy}>
          {busy ? 'Starting…' : title.submit}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
      <ProblemAlert failure={failure} listLabel={`${kind === 'retry' ? 'Retry' : 'Replay'} problems`} />
    </form>
  );
}
