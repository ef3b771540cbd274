import { formatTime } from '../hooks';
import { Link } from '../router';
import type { Run } from '../types';
import { ColumnHeads } from './common';

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status.replace(' ', '-')}`}>{status}</span>;
}

export function RunsTable({ runs, caption }: { runs: Run[]; caption: string }) {
  if (runs.length === 0) return <p>No runs yet.</p>;
  return (
    <table>
      <caption>{caption}</caption>
      <ColumnHeads names={['Run', 'Status', 'Created', 'Finished', 'Error']} />
      <tbody>
        {runs.map((run) => (
          <tr key={run.id}>
            <td>
              <Link to={`/runs/${run.id}`}>{run.id.slice(0, 8)}</Link>
            </td>
            <td>
              <StatusBadge status={run.status} />
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
