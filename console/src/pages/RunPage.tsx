import { useEffect, useState } from 'react';
import { api, errorMessage } from '../api';
import { CallbacksLog } from '../components/CallbacksLog';
import { MetadataChips } from '../components/Metadata';
import { RecoveryForm } from '../components/RecoveryForm';
import { StatusBadge } from '../components/RunsTable';
import { RunView } from '../components/RunView';
import { formatJson, formatTime } from '../hooks';
import { loadRunDefinition, withReportedNodes, type RunDefinition } from '../run-definition';
import { applyEvent, EMPTY_RUN_STATE, isFinalEvent, withNodeRuns, withWaitDetails, type RunState } from '../run-state';
import { NO_FILTERS, queryFromFilters } from '../run-filters';
import { canRetry, type RecoveryKind } from '../run-recovery';
import { Link } from '../router';
import { openEventStream, type StreamState } from '../sse';
import { isFinished, type NodeRun, type Run, type RunStatus } from '../types';
import { ErrorAlert } from '../components/common';
import { RunAgainButton } from '../components/RunAgainButton';
import { WorkflowLink } from '../components/WorkflowName';
import { useWorkflowNames } from '../workflow-names';

/**
 * One run: its stored record (run, node runs), then its event stream replayed from the start and
 * followed live until the run's final event, when the record is read again.
 */
export function RunPage({ runId }: { runId: string }) {
  const [run, setRun] = useState<Run>();
  const [graph, setGraph] = useState<RunDefinition>();
  const [state, setState] = useState<RunState>(EMPTY_RUN_STATE);
  const [stream, setStream] = useState<StreamState>('connecting');
  const [error, setError] = useState<string>();
  const [stopMessage, setStopMessage] = useState<string>();
  const [recovering, setRecovering] = useState<RecoveryKind>();
  const workflowNames = useWorkflowNames(run ? [run.workflow_id] : []);

  useEffect(() => {
    const controller = new AbortController();
    const readNodeRuns = async () =>
      (await api.get<{ items: NodeRun[] }>(`/v1/runs/${runId}/nodes`, controller.signal)).items;
    const readRecord = async () => {
      const [latest, nodes] = await Promise.all([api.get<Run>(`/v1/runs/${runId}`, controller.signal), readNodeRuns()]);
      setRun(latest);
      setState((current) => ({ ...withNodeRuns(current, nodes), status: latest.status, error: latest.error }));
      return latest;
    };
    let close = () => undefined as void;
    let finished = false;
    readRecord()
      .then(async (first) => {
        setGraph(await loadRunDefinition(first, controller.signal));
        close = openEventStream(`/v1/runs/${runId}/events`, {
          lastEventId: '0',
          // The server ends the stream after the run's final event; ended before it, it is resumed.
          reconnectOnEnd: () => !finished,
          onEvent: (event) => {
            setState((current) => applyEvent(current, event));
            if (isFinalEvent(event)) {
              finished = true;
              readRecord().catch((failure: unknown) => setError(errorMessage(failure)));
            } else if (event.event === 'run.waiting') {
              // A SignalNode's payload schema is in the node runs only.
              readNodeRuns()
                .then((nodes) => setState((current) => withWaitDetails(current, nodes)))
                .catch((failure: unknown) => !controller.signal.aborted && setError(errorMessage(failure)));
            }
          },
          onState: (next, failure) => {
            setStream(next);
            if (failure) setError(errorMessage(failure));
          },
        });
      })
      .catch((failure: unknown) => !controller.signal.aborted && setError(errorMessage(failure)));
    return () => {
      controller.abort();
      close();
    };
  }, [runId]);

  const stop = async () => {
    setStopMessage(undefined);
    try {
      const stopped = await api.post<Run>(`/v1/runs/${runId}/stop`);
      setRun(stopped);
      setState((current) => ({ ...current, status: stopped.status }));
      // 202: the instance running it has not confirmed yet; the event stream will say when it has.
      setStopMessage(
        isFinished(stopped.status) ? `Run ${stopped.status}.` : 'Stop requested; waiting for the run to stop.',
      );
    } catch (failure) {
      setStopMessage(errorMessage(failure));
    }
  };

  if (!run || !graph) {
    return <main>{error ? <ErrorAlert message={error} /> : 'Loading…'}</main>;
  }
  const status = state.status ?? run.status;
  const finished = isFinished(status);
  const definition = withReportedNodes(graph.definition, state.nodes);
  const recoveryButton = (kind: RecoveryKind, label: string) => (
    <button
      type="button"
      aria-expanded={recovering === kind}
      onClick={() => setRecovering(recovering === kind ? undefined : kind)}
    >
      {label}
    </button>
  );
  return (
    <main>
      <h1>
        <WorkflowLink id={run.workflow_id} names={workflowNames} /> · run {run.id.slice(0, 8)}…{' '}
        <StatusBadge status={status} />
      </h1>
      <p className="hint">
        id {run.id} · {run.workflow_version_id ? `version ${run.workflow_version_id.slice(0, 8)}` : 'draft'} · created{' '}
        {formatTime(run.created_at)} · started {formatTime(run.started_at)} · finished {formatTime(run.finished_at)}
        {run.debugger && (
          <>
            {' '}
            · debugger <Link to={`/debugger/${encodeURIComponent(run.debugger)}`}>{run.debugger}</Link>
          </>
        )}
        <SourceRunLink label="retry of" runId={run.retry_of} />
        <SourceRunLink label="replay of" runId={run.replay_of} />
      </p>
      <MetadataChips metadata={run.metadata} linked />
      <div className="toolbar">
        {!finished && (
          <button type="button" className="danger" onClick={stop}>
            Stop run
          </button>
        )}
        {canRetry(status) && recoveryButton('retry', 'Retry')}
        {finished && <RunAgainButton runId={run.id} />}
        {finished && recoveryButton('replay', 'Replay')}
        <span className="hint" role="status">
          {liveness(status, stream)}
        </span>
        {stopMessage && <span role="status">{stopMessage}</span>}
        {canRetry(status) && (
          <Link to={`/runs?${queryFromFilters({ ...NO_FILTERS, retry_of: run.id })}`}>Retries of this run</Link>
        )}
      </div>
      {recovering && finished && (
        <RecoveryForm
          key={recovering}
          run={run}
          kind={recovering}
          nodeIds={definition.nodes.map((node) => node.id)}
          onCancel={() => setRecovering(undefined)}
        />
      )}
      <ErrorAlert message={error} />
      {graph.caveat && <p className="hint">{graph.caveat}</p>}
      <RunView runId={run.id} definition={definition} state={state} />
      <div className="columns">
        <section aria-labelledby="result-title" className="wide">
          <h2 id="result-title">Result</h2>
          {status === 'completed' && <pre data-testid="run-output">{formatJson(run.output)}</pre>}
          {(state.error ?? run.error) && (
            <p className="error" data-testid="run-error">
              {(state.error ?? run.error)!.node_id}: {(state.error ?? run.error)!.message} (
              {(state.error ?? run.error)!.type})
            </p>
          )}
          {!finished && <p>Not finished yet.</p>}
          {status === 'stopped' && !run.error && <p>The run was stopped.</p>}
        </section>
        <section aria-labelledby="input-title" className="side">
          <h2 id="input-title">Input</h2>
          <pre tabIndex={0}>{formatJson(run.input)}</pre>
        </section>
      </div>
      {run.callback_url && <CallbacksLog run={run} />}
    </main>
  );
}

/** The run a retry or replay started from, if this is one. */
function SourceRunLink({ label, runId }: { label: string; runId: string | null }) {
  if (!runId) return null;
  return (
    <>
      {' '}
      · {label} <Link to={`/runs/${runId}`}>{runId.slice(0, 8)}</Link>
    </>
  );
}

/** What the toolbar says of following the run. */
function liveness(status: RunStatus, stream: StreamState): string {
  if (isFinished(status)) return 'Finished: showing the stored record.';
  if (stream !== 'open') return `Event stream: ${stream}.`;
  return status === 'waiting' ? 'Live; the run is waiting (parked until its wait ends or a signal arrives).' : 'Live.';
}
