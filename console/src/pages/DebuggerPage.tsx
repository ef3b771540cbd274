import { useEffect, useState, type FormEvent } from 'react';
import { api, errorMessage } from '../api';
import { StatusBadge } from '../components/RunsTable';
import { RunView } from '../components/RunView';
import { formatJson } from '../hooks';
import { loadRunDefinition, withReportedNodes, type RunDefinition } from '../run-definition';
import { applyEvent, EMPTY_RUN_STATE, isFinalEvent, withNodeRuns, withWaitDetails, type RunState } from '../run-state';
import { Link, navigate } from '../router';
import { openEventStream, type StreamState } from '../sse';
import type { NodeRun, Run } from '../types';
import { ErrorAlert } from '../components/common';
import { WorkflowLink } from '../components/WorkflowName';
import { useWorkflowNames } from '../workflow-names';

const SESSION_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export function DebuggerStart() {
  const [session, setSession] = useState('');
  const valid = SESSION_PATTERN.test(session);
  const open = (event: FormEvent) => {
    event.preventDefault();
    if (valid) navigate(`/debugger/${encodeURIComponent(session)}`);
  };
  return (
    <main>
      <h1>Debugger sessions</h1>
      <p>
        Runs started with <code>"debugger": "&lt;session&gt;"</code> stream into their session. Open one, then start
        runs from anywhere (the run form, curl, your app) and watch them arrive.
      </p>
      <form onSubmit={open} className="toolbar">
        <label htmlFor="session-name">Session</label>
        <input
          id="session-name"
          value={session}
          onChange={(event) => setSession(event.target.value)}
          aria-describedby="session-help"
        />
        <button type="submit" disabled={!valid}>
          Open
        </button>
        <span id="session-help" className="hint">
          1–128 letters, digits, or . _ : -
        </span>
      </form>
    </main>
  );
}

interface SessionRun {
  id: string;
  state: RunState;
  run?: Run;
  graph?: RunDefinition;
}

/** Follows every run of a debugger session live, in one event stream. */
export function DebuggerPage({ session }: { session: string }) {
  const [runs, setRuns] = useState<Record<string, SessionRun>>({});
  const [order, setOrder] = useState<string[]>([]);
  const [selected, setSelected] = useState<string>();
  // The stream without Last-Event-ID follows the session from now on only: a session opened from a
  // run's link, whose runs had already started (or ended), showed none of them. So it replays the
  // session from its start unless the person chooses to see only runs that start from now.
  const [replay, setReplay] = useState(true);
  const [stream, setStream] = useState<StreamState>('connecting');
  const [error, setError] = useState<string>();

  useEffect(() => {
    setRuns({});
    setOrder([]);
    const seen = new Set<string>();
    const describe = async (runId: string) => {
      try {
        const run = await api.get<Run>(`/v1/runs/${runId}`);
        const graph = await loadRunDefinition(run);
        setRuns((current) => ({ ...current, [runId]: { ...current[runId], run, graph } }));
      } catch (failure) {
        setError(errorMessage(failure));
      }
    };
    // Events carry no attempt number; the stored node runs complete the picture once a run ends,
    // and give a waiting SignalNode's payload schema once a run parks.
    const readNodeRuns = async (runId: string, merge: (state: RunState, nodeRuns: NodeRun[]) => RunState) => {
      const nodes = await api.get<{ items: NodeRun[] }>(`/v1/runs/${runId}/nodes`);
      setRuns((current) => {
        const entry = current[runId] ?? { id: runId, state: EMPTY_RUN_STATE };
        return { ...current, [runId]: { ...entry, state: merge(entry.state, nodes.items) } };
      });
    };
    return openEventStream(`/v1/debugger/${encodeURIComponent(session)}/events`, {
      lastEventId: replay ? '0' : undefined,
      reconnectOnEnd: () => true,
      onEvent: (event) => {
        const runId = event.data.run_id as string;
        if (!seen.has(runId)) {
          seen.add(runId);
          setOrder((current) => [runId, ...current]);
          void describe(runId);
        }
        setRuns((current) => {
          const entry = current[runId] ?? { id: runId, state: EMPTY_RUN_STATE };
          return { ...current, [runId]: { ...entry, state: applyEvent(entry.state, event) } };
        });
        const merge = isFinalEvent(event) ? withNodeRuns : event.event === 'run.waiting' ? withWaitDetails : undefined;
        if (merge) readNodeRuns(runId, merge).catch((failure: unknown) => setError(errorMessage(failure)));
      },
      onState: (next, failure) => {
        setStream(next);
        setError(failure ? errorMessage(failure) : undefined);
      },
    });
  }, [session, replay]);

  const shownId = selected ?? order[0];
  const shown = shownId ? runs[shownId] : undefined;
  const workflowIds = order.flatMap((runId) => runs[runId]?.run?.workflow_id ?? []);
  const workflowNames = useWorkflowNames(workflowIds);
  const workflowOf = (runId: string) => {
    const workflowId = runs[runId]?.run?.workflow_id;
    return workflowId ? `${workflowNames.get(workflowId) ?? workflowId} · ` : '';
  };
  return (
    <main>
      <h1>Debugger session {session}</h1>
      <p className="hint">
        Start runs with <code>"debugger": "{session}"</code> in the body; they appear here as they start.{' '}
        <span role="status" data-testid="debugger-stream-state">
          {stream === 'open' ? 'Listening.' : `Event stream: ${stream}.`}
        </span>
      </p>
      <label>
        <input type="checkbox" checked={replay} onChange={(event) => setReplay(event.target.checked)} /> Include the
        session's earlier runs
      </label>
      <ErrorAlert message={error} />
      <div className="columns">
        <nav className="run-list" aria-label="Runs of this session">
          <h2>Runs ({order.length})</h2>
          {order.length === 0 && <p>No run yet.</p>}
          <ul>
            {order.map((runId) => (
              <li key={runId}>
                <button
                  type="button"
                  className="link"
                  aria-current={runId === shownId ? 'true' : undefined}
                  onClick={() => setSelected(runId)}
                  data-testid={`session-run-${runId}`}
                >
                  {workflowOf(runId)}
                  {runId.slice(0, 8)}
                </button>{' '}
                <StatusBadge status={runs[runId]?.state.status ?? 'queued'} />
              </li>
            ))}
          </ul>
        </nav>
        <div className="wide">
          {shown?.graph && shown.run ? (
            <>
              <h2>
                <WorkflowLink id={shown.run.workflow_id} names={workflowNames} /> · run{' '}
                <Link to={`/runs/${shown.id}`}>{shown.id.slice(0, 8)}</Link>{' '}
                <StatusBadge status={shown.state.status ?? 'queued'} />
              </h2>
              {shown.graph.caveat && <p className="hint">{shown.graph.caveat}</p>}
              <RunView
                key={shown.id}
                runId={shown.id}
                definition={withReportedNodes(shown.graph.definition, shown.state.nodes)}
                state={shown.state}
              />
              {shown.state.error && (
                <p className="error">
                  {shown.state.error.node_id}: {shown.state.error.message}
                </p>
              )}
              <h3>Input</h3>
              <pre tabIndex={0}>{formatJson(shown.run.input)}</pre>
            </>
          ) : (
            shown && <p>Loading run {shown.id.slice(0, 8)}…</p>
          )}
        </div>
      </div>
    </main>
  );
}
