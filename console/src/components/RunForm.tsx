import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage, request } from '../api';
import { navigate } from '../router';
import type { Definition, Run, WorkflowVersion } from '../types';
import { ErrorAlert } from './common';
import { isJsonType, parseTypedText } from '../typed-text';
import { TypedField } from './TypedField';

export interface InputField {
  nodeId: string;
  label: string;
  type: string;
  hasDefault: boolean;
  defaultValue: unknown;
  description?: string;
}

export function inputFields(definition: Definition): InputField[] {
  return definition.nodes
    .filter((node) => node.type === 'InputNode')
    .map((node) => {
      const config = node.config ?? {};
      return {
        nodeId: node.id,
        label: typeof config.label === 'string' ? config.label : node.id,
        type: typeof config.type === 'string' ? config.type : 'any',
        hasDefault: 'default' in config,
        defaultValue: config.default,
        description: typeof config.description === 'string' ? config.description : undefined,
      };
    });
}

/** A field's starting text: its value in `sample` (a run input, by label or node id) if there, else its default. */
export function initialText(field: InputField, sample?: Record<string, unknown> | null): string {
  const key = [field.label, field.nodeId].find((candidate) => sample && candidate in sample);
  const [given, value] = key !== undefined ? [true, sample![key]] : [field.hasDefault, field.defaultValue];
  if (!given) return '';
  if (isJsonType(field.type)) return JSON.stringify(value);
  return String(value ?? '');
}

/** The run input the fields' texts give, by label; an empty field is left out (its default applies). */
export function runInputOf(fields: InputField[], textOf: (field: InputField) => string): Record<string, unknown> {
  return Object.fromEntries(
    fields
      .map((field) => [field.label, parseTypedText(field.label, field.type, textOf(field))] as const)
      .filter(([, value]) => value !== undefined),
  );
}

/** A refused run's `input.<label>` errors, by the node id of the field they concern. */
export function inputFieldErrors(fields: InputField[], failure: unknown): Record<string, string> {
  if (!(failure instanceof ApiError)) return {};
  const byNode: Record<string, string> = {};
  for (const problem of failure.fieldErrors) {
    const key = problem.field.startsWith('input.') ? problem.field.slice('input.'.length) : undefined;
    const field = fields.find((f) => f.label === key || f.nodeId === key);
    if (field) byNode[field.nodeId] = problem.message;
  }
  return byNode;
}

/** One TypedField per InputNode (label, type, default, description). */
export function InputFields({
  fields,
  textOf,
  onChange,
  errors,
  idPrefix = 'input',
}: {
  fields: InputField[];
  textOf: (field: InputField) => string;
  onChange: (nodeId: string, text: string) => void;
  errors: Record<string, string>;
  idPrefix?: string;
}) {
  return fields.map((field) => (
    <TypedField
      key={field.nodeId}
      id={`${idPrefix}-${field.nodeId}`}
      label={field.label}
      type={field.type}
      value={textOf(field)}
      onChange={(text) => onChange(field.nodeId, text)}
      help={`${field.description ?? ''}${field.hasDefault ? ` Default: ${JSON.stringify(field.defaultValue)}.` : ' Required.'}`}
      unsetChoice={field.hasDefault ? `default (${String(field.defaultValue)})` : 'choose'}
      error={errors[field.nodeId]}
    />
  ));
}

/**
 * Starts a run from a form built from the InputNodes (label, type, default, description): sync
 * waits for the result, async queues it. Either way the console then shows the run.
 */
export function RunForm({
  workflowId,
  definition,
  versions,
}: {
  workflowId: string;
  definition: Definition;
  versions: WorkflowVersion[];
}) {
  const [versionId, setVersionId] = useState('');
  const fields = inputFields(versions.find((version) => version.id === versionId)?.definition ?? definition);
  const [values, setValues] = useState<Record<string, string>>({});
  const [mode, setMode] = useState<'sync' | 'async'>('async');
  const [debuggerSession, setDebuggerSession] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  const textOf = (field: InputField) => values[field.nodeId] ?? initialText(field);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setFieldErrors({});
    let input: Record<string, unknown>;
    try {
      input = runInputOf(fields, textOf);
    } catch (failure) {
      setError(errorMessage(failure));
      return;
    }
    const body = {
      input,
      ...(versionId ? { workflow_version_id: versionId } : {}),
      ...(debuggerSession.trim() ? { debugger: debuggerSession.trim() } : {}),
    };
    setBusy(true);
    try {
      const path = `/v1/workflows/${workflowId}/runs${mode === 'sync' ? '/sync' : ''}`;
      const { body: run } = await request<Run>('POST', path, { body });
      navigate(`/runs/${run.id}`);
    } catch (failure) {
      setFieldErrors(inputFieldErrors(fields, failure));
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="run-form" onSubmit={submit} aria-labelledby="run-form-title">
      <h2 id="run-form-title">Run</h2>
      {fields.length === 0 && <p className="hint">This workflow has no InputNode.</p>}
      <InputFields
        fields={fields}
        textOf={textOf}
        onChange={(nodeId, text) => setValues((current) => ({ ...current, [nodeId]: text }))}
        errors={fieldErrors}
      />
      <fieldset>
        <legend>Mode</legend>
        <label>
          <input type="radio" name="mode" checked={mode === 'async'} onChange={() => setMode('async')} /> Async (queue
          it, then watch)
        </label>
        <label>
          <input type="radio" name="mode" checked={mode === 'sync'} onChange={() => setMode('sync')} /> Sync (wait for
          the result)
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor="run-version">Version</label>
        <select id="run-version" value={versionId} onChange={(event) => setVersionId(event.target.value)}>
          <option value="">current draft</option>
          {versions.map((version) => (
            <option key={version.id} value={version.id}>
              {version.number}: {version.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="run-debugger">Debugger session (optional)</label>
        <input id="run-debugger" value={debuggerSession} onChange={(event) => setDebuggerSession(event.target.value)} />
      </div>
      <button type="submit" disabled={busy}>
        {busy ? 'Starting…' : 'Start run'}
      </button>
      <ErrorAlert message={error} />
    </form>
  );
}
