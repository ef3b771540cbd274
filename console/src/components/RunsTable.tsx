import { formatTime } from '../hooks';
import { Link } from '../router';
import type { Run } from '../types';

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status.replace(' ', '-')}`}>{status}</span>;
}

export function RunsTable({ runs, caption }: { runs: Run[]; caption: string }) {
  if (runs.length === 0) return <p>No runs yet.</p>;
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Run</th>
          <th scope="col">Status</th>
          <th scope="col">Created</th>
          <th scope="col">Finished</th>
          <th scope="col">Error</th>
        </tr>
      </thead>
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
