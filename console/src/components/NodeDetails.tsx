import { formatJson, formatTime } from '../hooks';
import { Link } from '../router';
import type { NodeState, NodeStatus } from '../run-state';
import { StatusBadge } from './RunsTable';
import { SignalForm } from './SignalForm';
import { ResumeLink, WaitRows } from './WaitDetails';

/** The run whose outputs a reused node took over (a retry's source run). */
export function ReusedFromLink({ runId }: { runId: string }) {
  return (
    <Link to={`/runs/${runId}`} data-testid="reused-from">
      run {runId.slice(0, 8)}
    </Link>
  );
}

/**
 * One node of a run: status, timings, attempt, the run a reused node came from, inputs, outputs, error and streamed text; while it
 * waits, what for, and for a SignalNode its resume link and a form that sends the signal.
 */
export function NodeDetails({
  runId,
  nodeId,
  nodeType,
  status,
  node,
}: {
  runId: string;
  nodeId: string;
  nodeType: string;
  status: NodeStatus;
  node?: NodeState;
}) {
  return (
    <section className="node-details" aria-labelledby="node-details-title" aria-live="polite">
      <h3 id="node-details-title">
        Node {nodeId} <span className="type">{node?.nodeType ?? nodeType}</span> <StatusBadge status={status} />
      </h3>
      <dl>
        <dt>Attempt</dt>
        <dd>{node?.attempt ?? '—'}</dd>
        <dt>Started</dt>
        <dd>{formatTime(node?.startedAt)}</dd>
        <dt>Finished</dt>
        <dd>{formatTime(node?.finishedAt)}</dd>
        <dt>Duration</dt>
        <dd>{node?.durationMs != null ? `${node.durationMs} ms` : '—'}</dd>
        {node?.reusedFrom && (
          <>
            <dt>Reused from</dt>
            <dd>
              <ReusedFromLink runId={node.reusedFrom} />
            </dd>
          </>
        )}
        {status === 'waiting' && <WaitRows node={node} />}
        {node?.skipReason && (
          <>
            <dt>Skipped because</dt>
            <dd>{node.skipReason}</dd>
          </>
        )}
      </dl>
      {status === 'waiting' && node?.resumeUrl && <ResumeLink url={node.resumeUrl} />}
      {node?.signal && <SignalForm runId={runId} signal={node.signal} waiting={status === 'waiting'} />}
      {node?.error && (
        <div className="error" role="alert">
          <strong>{node.error.type}</strong>: {node.error.message}
        </div>
      )}
      {node?.streamed && (
        <>
          <h4>Streamed text</h4>
          <pre className="streamed" data-testid="streamed-text">
            {node.streamed}
          </pre>
        </>
      )}
      <h4>Inputs</h4>
      <pre tabIndex={0}>{formatJson(node?.inputs)}</pre>
      <h4>Outputs</h4>
      <pre tabIndex={0}>{formatJson(node?.outputs)}</pre>
    </section>
  );
}
