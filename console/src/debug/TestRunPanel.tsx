import { useEffect, useState, type FormEvent } from 'react';
import { api, errorMessage, request } from '../api';
import { ProblemAlert } from '../components/common';
import {
  initialText,
  inputFieldErrors,
  InputFields,
  inputFields,
  runInputOf,
  type InputField,
} from '../components/RunForm';
import { StatusBadge } from '../components/RunsTable';
import { PayloadFieldInputs } from '../components/TypedField';
import { formatJson, useLoad } from '../hooks';
import { payloadOf } from '../payload-form';
import { Link } from '../router';
import { isFinished, type Page, type Workflow, type WorkflowVersion } from '../types';
import { connectorErrors, connectorFields, lastInputTexts } from './node-inputs';
import type { FollowedRun, TestRunStart } from './run-follower';
import { useNodeInputs } from './use-node-inputs';
import { plannedNodeIds, WHOLE_WORKFLOW, type RunTarget } from './run-target';
import type { EditorDraft } from './useTestRun';
import './debug.css';

/**
 * The editor's test-run form: the InputNodes' fields (or, for "Run this node", the node's input
 * connectors), sync or async, on the draft or a version; then the run's status and links. The
 * nodes' live state is drawn on the canvas, not here.
 */
export function TestRunPanel({
  workflow,
  draft,
  target,
  onTarget,
  followed,
  start,
}: {
  workflow: Workflow;
  draft: EditorDraft;
  target: RunTarget;
  onTarget: (target: RunTarget) => void;
  followed?: FollowedRun;
  start: (request: TestRunStart) => Promise<void>;
}) {
  const versions = useLoad(
    (signal) => api.get<Page<WorkflowVersion>>(`/v1/workflows/${workflow.id}/versions?page_size=100`, signal),
    [workflow.id],
  );
  const [versionId, setVersionId] = useState('');
  const [mode, setMode] = useState<'sync' | 'async'>('async');
  /** Typed texts of the InputNodes' fields, by node id. */
  const [texts, setTexts] = useState<Record<string, string>>({});
  /** Typed texts of "Run this node"'s fields, by connector name. */
  const [nodeTexts, setNodeTexts] = useState<{ nodeId?: string; texts: Record<string, string> }>({ texts: {} });
  const [pinned, setPinned] = useState(workflow.sample_input ?? null);
  const [pinMessage, setPinMessage] = useState<string>();
  const [problem, setProblem] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  /** A run asked for with "Save and run", started once the save has been answered. */
  const [afterSave, setAfterSave] = useState<TestRunStart>();

  const version = versions.data?.items.find((candidate) => candidate.id === versionId);
  const definition = version?.definition ?? draft.definition;
  const single = target.kind === 'single' ? definition.nodes.find((node) => node.id === target.nodeId) : undefined;
  const planned = plannedNodeIds(definition, target);
  // An InputNode run alone still takes its value the usual way: by its label.
  const fields = inputFields(definition).filter((field) => planned.has(field.nodeId));
  const alone = single && single.type !== 'InputNode' ? single : undefined;
  const nodeInputs = useNodeInputs(definition, alone?.id);
  const connectors = nodeInputs && connectorFields(nodeInputs);
  const textOf = (field: InputField) => texts[field.nodeId] ?? initialText(field, pinned);
  // What was typed for another node's connectors does not carry over.
  const typedForNode = alone && nodeTexts.nodeId === alone.id ? nodeTexts.texts : {};
  const connectorTexts = {
    ...lastInputTexts(connectors ?? [], alone && followed?.state.nodes[alone.id]?.inputs),
    ...typedForNode,
  };
  const saveFirst = draft.unsaved && !versionId;
  const failure = followed?.failure ?? problem;

  const inputNow = () => (connectors ? payloadOf(connectors, connectorTexts) : runInputOf(fields, textOf));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    let input: Record<string, unknown>;
    try {
      input = inputNow();
    } catch (invalid) {
      setProblem(invalid);
      return;
    }
    const request = { target, input, mode, versionId: versionId || undefined };
    setBusy(true);
    try {
      if (saveFirst) {
        await draft.save();
        setAfterSave(request);
      } else await start(request);
    } finally {
      setBusy(false);
    }
  };

  // The save's answer has been rendered by now: the draft is stored, or the editor says why not.
  useEffect(() => {
    if (!afterSave) return;
    setAfterSave(undefined);
    if (draft.unsaved) setProblem(new Error('The draft was not saved (the editor says why), so nothing was run.'));
    else void start(afterSave);
  }, [afterSave, draft.unsaved, start]);

  const pin = async (input?: Record<string, unknown>) => {
    setPinMessage(undefined);
    try {
      if (input) {
        await request('PUT', `/v1/workflows/${workflow.id}/sample-input`, { body: { input } });
        setPinned(input);
        setPinMessage('Pinned: the form starts from these values.');
      } else {
        await request('DELETE', `/v1/workflows/${workflow.id}/sample-input`);
        setPinned(null);
        setTexts({});
        setPinMessage('Unpinned: the form starts from the defaults.');
      }
    } catch (refused) {
      setPinMessage(errorMessage(refused));
    }
  };

  const pinNow = () => {
    try {
      void pin(runInputOf(inputFields(definition), textOf));
    } catch (invalid) {
      setPinMessage(errorMessage(invalid));
    }
  };

  const fieldErrors = connectors ? connectorErrors(failure) : inputFieldErrors(fields, failure);
  return (
    <section className="test-run" aria-labelledby="test-run-title" data-testid="test-run-panel">
      <h2 id="test-run-title" tabIndex={-1}>
        Test run
      </h2>
      <p className="test-run-target">
        <span data-testid="test-run-target">{describeTarget(target)}</span>
        {target.kind !== 'workflow' && (
          <button type="button" className="link" onClick={() => onTarget(WHOLE_WORKFLOW)}>
            Run the whole workflow instead
          </button>
        )}
      </p>
      <form onSubmit={submit} aria-label="Test run input">
        {connectors ? (
          <>
            {connectors.length === 0 && <p className="hint">This node has no input.</p>}
            <PayloadFieldInputs
              fields={connectors}
              idPrefix="test-node-input"
              texts={connectorTexts}
              onChange={(name, text) => setNodeTexts({ nodeId: alone?.id, texts: { ...typedForNode, [name]: text } })}
              errors={fieldErrors}
            />
          </>
        ) : (
          <>
            {fields.length === 0 && <p className="hint">No InputNode runs in this selection.</p>}
            <InputFields
              fields={fields}
              idPrefix="test-input"
              textOf={textOf}
              onChange={(nodeId, text) => setTexts((current) => ({ ...current, [nodeId]: text }))}
              errors={fieldErrors}
            />
          </>
        )}
        <fieldset className="test-run-mode">
          <legend>Mode</legend>
          <label>
            <input type="radio" name="test-run-mode" checked={mode === 'async'} onChange={() => setMode('async')} />{' '}
            Async
          </label>
          <label>
            <input type="radio" name="test-run-mode" checked={mode === 'sync'} onChange={() => setMode('sync')} /> Sync
          </label>
        </fieldset>
        <div className="field">
          <label htmlFor="test-run-version">Definition</label>
          <select id="test-run-version" value={versionId} onChange={(event) => setVersionId(event.target.value)}>
            <option value="">the saved draft</option>
            {versions.data?.items.map((item) => (
              <option key={item.id} value={item.id}>
                version {item.number}: {item.name}
              </option>
            ))}
          </select>
        </div>
        {saveFirst && (
          <p className="hint" data-testid="unsaved-note">
            The API runs the stored draft: your unsaved changes are saved first.
          </p>
        )}
        {version && <p className="hint">The canvas shows the draft; this run uses version {version.number}.</p>}
        <div className="toolbar">
          <button type="submit" disabled={busy}>
            {busy ? (mode === 'sync' ? 'Running…' : 'Starting…') : saveFirst ? 'Save and run' : 'Start run'}
          </button>
          {!connectors && (
            <>
              <button type="button" onClick={pinNow}>
                Pin as sample input
              </button>
              {pinned && (
                <button type="button" onClick={() => void pin()}>
                  Unpin
                </button>
              )}
            </>
          )}
        </div>
        {pinMessage && <p role="status">{pinMessage}</p>}
      </form>
      <ProblemAlert failure={failure} listLabel="Why the run was not started" />
      {followed && <FollowedRunSummary followed={followed} />}
    </section>
  );
}

function describeTarget(target: RunTarget): string {
  if (target.kind === 'single') return `Runs node ${target.nodeId} alone, with the inputs below.`;
  if (target.kind === 'nodes') return `Runs ${target.title}, with everything upstream they need.`;
  return 'Runs the whole workflow.';
}

/** The followed run's status, links to its page and session, and its output or error. */
function FollowedRunSummary({ followed }: { followed: FollowedRun }) {
  const status = followed.state.status ?? followed.run?.status;
  const error = followed.state.error ?? followed.run?.error;
  return (
    <div className="test-run-result" data-testid="test-run-result">
      <p role="status">
        {status ? <StatusBadge status={status} /> : 'Starting…'}{' '}
        {!isFinished(status) && status && `Following live (event stream ${followed.stream}).`}
      </p>
      {followed.runId && (
        <p>
          <Link to={`/runs/${followed.runId}`}>Open the run page</Link> ·{' '}
          <Link to={`/debugger/${encodeURIComponent(followed.session)}`}>Open the debugger session</Link>
        </p>
      )}
      {status === 'completed' && followed.run?.output && (
        <>
          <h3>Output</h3>
          <pre tabIndex={0} data-testid="test-run-output">
            {formatJson(followed.run.output)}
          </pre>
        </>
      )}
      {error && (
        <p className="error" data-testid="test-run-error">
          {error.node_id}: {error.message} ({error.type})
        </p>
      )}
    </div>
  );
}
