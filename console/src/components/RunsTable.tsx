import { formatTime } from '../hooks';
import { Link } from '../router';
import type { Run } from '../types';
import { ColumnHeads } from './common';
import { MetadataChips } from './Metadata';
import { WorkflowLink } from './WorkflowName';

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status.replace(' ', '-')}`}>{status}</span>;
}

/** Runs, one a row; with `workflowNames` (runs of several workflows) a column names each run's workflow. */
export function RunsTable({
  runs,
  caption,
  workflowNames,
  empty = 'No runs yet.',
}: {
  runs: Run[];
  caption: string;
  workflowNames?: Map<string, string>;
  empty?: string;
}) {
  if (runs.length === 0) return <p>{empty}</p>;
  const columns = ['Run', ...(workflowNames ? ['Workflow'] : []), 'Status', 'Metadata', 'Created', 'Finished', 'Error'];
  return (
    <table>
      <caption>{caption}</caption>
      <ColumnHeads names={columns} />
      <tbody>
        {runs.map((run) => (
          <tr key={run.id} data-testid={`run-row-${run.id}`}>
            <td>
              <Link to={`/runs/${run.id}`}>{run.id.slice(0, 8)}</Link>
            </td>
            {workflowNames && (
              <td>
                <WorkflowLink id={run.workflow_id} names={workflowNames} />
              </td>
            )}
            <td>
              <StatusBadge status={run.status} />
            </td>
            <td>
              <MetadataChips metadata={run.metadata} />
            </td>
            <td>{formatTime(run.created_at)}</td>
            <td>{formatTime(run.finished_at)}</td>
            <td>{run.error ? `${run.error.node_id}: ${run.error.message}` : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
