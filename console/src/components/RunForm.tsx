import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage, request } from '../api';
import { navigate } from '../router';
import type { Definition, Run, WorkflowVersion } from '../types';
import { ErrorAlert } from './common';

interface InputField {
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

const JSON_TYPES = new Set(['dict', 'list', 'any']);

function initialText(field: InputField): string {
  if (!field.hasDefault) return '';
  if (JSON_TYPES.has(field.type)) return JSON.stringify(field.defaultValue);
  return String(field.defaultValue ?? '');
}

/** The typed value of one field; undefined leaves the input out (the node's default applies, or the API says it is missing). */
function parseField(field: InputField, text: string): unknown {
  // An empty field is left out: the node's default applies, or the API names the missing input.
  if (text === '') return undefined;
  switch (field.type) {
    case 'str':
      return text;
    case 'int':
    case 'float':
      return Number(text);
    case 'bool':
      return text === 'true';
    default:
      try {
        return JSON.parse(text);
      } catch {
        throw new Error(`${field.label}: not valid JSON`);
      }
  }
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

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setFieldErrors({});
    let input: Record<string, unknown>;
    try {
      input = Object.fromEntries(
        fields
          .map((field) => [field.label, parseField(field, values[field.nodeId] ?? initialText(field))] as const)
          .filter(([, value]) => value !== undefined),
      );
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
      if (failure instanceof ApiError) {
        const byLabel: Record<string, string> = {};
        for (const problem of failure.fieldErrors) {
          const label = problem.field.startsWith('input.') ? problem.field.slice('input.'.length) : undefined;
          const field = fields.find((f) => f.label === label || f.nodeId === label);
          if (field) byLabel[field.nodeId] = problem.message;
        }
        setFieldErrors(byLabel);
      }
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="run-form" onSubmit={submit} aria-labelledby="run-form-title">
      <h2 id="run-form-title">Run</h2>
      {fields.length === 0 && <p className="hint">This workflow has no InputNode.</p>}
      {fields.map((field) => {
        const id = `input-${field.nodeId}`;
        const helpId = `${id}-help`;
        const errorId = `${id}-error`;
        const value = values[field.nodeId] ?? initialText(field);
        const set = (text: string) => setValues((current) => ({ ...current, [field.nodeId]: text }));
        const common = {
          id,
          'aria-describedby': `${helpId}${fieldErrors[field.nodeId] ? ` ${errorId}` : ''}`,
          'aria-invalid': fieldErrors[field.nodeId] ? true : undefined,
        };
        return (
          <div className="field" key={field.nodeId}>
            <label htmlFor={id}>
              {field.label} <span className="type">{field.type}</span>
            </label>
            {field.type === 'bool' ? (
              <select {...common} value={value} onChange={(event) => set(event.target.value)}>
                <option value="">{field.hasDefault ? `default (${String(field.defaultValue)})` : 'choose'}</option>
                <option value="true">true</option>
                <option value="false">false</option>
              </select>
            ) : JSON_TYPES.has(field.type) ? (
              <textarea {...common} rows={3} value={value} onChange={(event) => set(event.target.value)} />
            ) : (
              <input
                {...common}
                type={field.type === 'int' || field.type === 'float' ? 'number' : 'text'}
                step={field.type === 'float' ? 'any' : undefined}
                value={value}
                onChange={(event) => set(event.target.value)}
              />
            )}
            <span id={helpId} className="hint">
              {field.description ?? ''}
              {field.hasDefault ? ` Default: ${JSON.stringify(field.defaultValue)}.` : ' Required.'}
              {JSON_TYPES.has(field.type) ? ' JSON.' : ''}
            </span>
            {fieldErrors[field.nodeId] && (
              <span id={errorId} className="error">
                {fieldErrors[field.nodeId]}
              </span>
            )}
          </div>
        );
      })}
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
