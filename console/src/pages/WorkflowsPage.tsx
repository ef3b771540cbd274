import { useEffect, useState } from 'react';
import { api } from '../api';
import { formatTime, useLoad } from '../hooks';
import { Link } from '../router';
import type { Page, Workflow } from '../types';
import { ColumnHeads, ErrorAlert } from '../components/common';
import { NewWorkflowForm } from '../editor/NewWorkflowForm';

const PAGE_SIZE = 100;
const SEARCH_DELAY_MS = 250;

/** The newest workflows whose name, slug or description contain `query` (all of them when it is empty), searched by the server. */
function searchWorkflows(query: string, signal: AbortSignal): Promise<Page<Workflow>> {
  const q = query ? `&q=${encodeURIComponent(query)}` : '';
  return api.get<Page<Workflow>>(`/v1/workflows?page_size=${PAGE_SIZE}${q}`, signal);
}

/** `value`, once it has stopped changing for `delayMs`. */
function useSettled(value: string, delayMs: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

export function WorkflowsPage() {
  const [query, setQuery] = useState('');
  const searched = useSettled(query.trim().slice(0, 100), SEARCH_DELAY_MS);
  const workflows = useLoad((signal) => searchWorkflows(searched, signal), [searched]);
  const shown = workflows.data?.items ?? [];
  return (
    <main>
      <h1>Workflows</h1>
      <details className="new-workflow-box">
        <summary>New workflow</summary>
        <NewWorkflowForm />
      </details>
      <div className="toolbar">
        <label htmlFor="workflow-search">Search</label>
        <input
          id="workflow-search"
          type="search"
          value={query}
          maxLength={100}
          placeholder="name, slug or description"
          onChange={(event) => setQuery(event.target.value)}
        />
        {workflows.data && (
          <span className="hint" aria-live="polite">
            {workflows.data.total} {searched ? 'found' : 'in all'}
            {shown.length < workflows.data.total ? ` (showing the newest ${shown.length})` : ''}
          </span>
        )}
      </div>
      <ErrorAlert message={workflows.error} />
      {workflows.loading && !workflows.data && <p>Loading…</p>}
      {workflows.data && (
        <table>
          <ColumnHeads names={['Name', 'Slug', 'Description', 'Nodes', 'Revision', 'Updated']} />
          <tbody>
            {shown.map((workflow) => (
              <tr key={workflow.id}>
                <td>
                  <Link to={`/workflows/${workflow.id}`}>{workflow.name}</Link>
                </td>
                <td>{workflow.slug ? <code>{workflow.slug}</code> : ''}</td>
                <td>{workflow.description ?? ''}</td>
                <td>{workflow.definition.nodes.length}</td>
                <td>{workflow.revision}</td>
                <td>{formatTime(workflow.updated_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {workflows.data && shown.length === 0 && <p>No workflow matches.</p>}
    </main>
  );
}
