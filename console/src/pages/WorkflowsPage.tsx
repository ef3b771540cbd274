import { useState } from 'react';
import { loadAllWorkflows } from '../all-workflows';
import { formatTime, useLoad } from '../hooks';
import { Link } from '../router';
import type { Workflow } from '../types';
import { ColumnHeads, ErrorAlert } from '../components/common';
import { NewWorkflowForm } from '../editor/NewWorkflowForm';

function matches(workflow: Workflow, query: string): boolean {
  const text = `${workflow.name} ${workflow.description ?? ''} ${workflow.id}`.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .every((word) => text.includes(word));
}

export function WorkflowsPage() {
  const workflows = useLoad(loadAllWorkflows, []);
  const [query, setQuery] = useState('');
  const shown = workflows.data?.items.filter((workflow) => matches(workflow, query.trim())) ?? [];
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
          placeholder="name, description or id"
          onChange={(event) => setQuery(event.target.value)}
        />
        {workflows.data && (
          <span className="hint" aria-live="polite">
            {shown.length} of {workflows.data.total}
            {workflows.data.items.length < workflows.data.total
              ? ` (searching the newest ${workflows.data.items.length})`
              : ''}
          </span>
        )}
      </div>
      <ErrorAlert message={workflows.error} />
      {workflows.loading && !workflows.data && <p>Loading…</p>}
      {workflows.data && (
        <table>
          <ColumnHeads names={['Name', 'Description', 'Nodes', 'Revision', 'Updated']} />
          <tbody>
            {shown.map((workflow) => (
              <tr key={workflow.id}>
                <td>
                  <Link to={`/workflows/${workflow.id}`}>{workflow.name}</Link>
                </td>
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
