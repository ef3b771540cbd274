import { useMemo, useState } from 'react';
import { api, errorMessage, type FieldError } from '../api';
import { DefinitionEditor } from '../components/DefinitionEditor';
import { Graph, type GraphNodeInfo } from '../graph/Graph';
import { RunForm } from '../components/RunForm';
import { RunsTable } from '../components/RunsTable';
import { placeProblems } from '../definition-problems';
import { formatTime, useLoad } from '../hooks';
import { asDefinition } from '../graph/layout';
import { NO_FILTERS, queryFromFilters } from '../run-filters';
import { Link } from '../router';
import type { Page, Run, Workflow, WorkflowVersion } from '../types';
import { ErrorAlert } from '../components/common';

/** A workflow: its graph, a run form, the editable definition, its versions and recent runs. */
export function WorkflowPage({ workflowId }: { workflowId: string }) {
  const loaded = useLoad((signal) => api.get<Workflow>(`/v1/workflows/${workflowId}`, signal), [workflowId]);
  const versions = useLoad(
    (signal) => api.get<Page<WorkflowVersion>>(`/v1/workflows/${workflowId}/versions?page_size=100`, signal),
    [workflowId],
  );
  const runs = useLoad(
    (signal) => api.get<Page<Run>>(`/v1/workflows/${workflowId}/runs?page_size=20`, signal),
    [workflowId],
  );
  const [saved, setSaved] = useState<Workflow>();
  const [problems, setProblems] = useState<{ sent: unknown; errors: FieldError[] }>({ sent: undefined, errors: [] });
  const [versionMessage, setVersionMessage] = useState<string>();
  const workflow = saved ?? loaded.data;

  // With problems, draw what was sent (the nodes the paths point into); otherwise the stored draft.
  const shown = (problems.errors.length ? asDefinition(problems.sent) : undefined) ?? workflow?.definition;
  const placed = useMemo(() => placeProblems(problems.sent, problems.errors), [problems]);
  const info: Record<string, GraphNodeInfo> = Object.fromEntries(
    Object.entries(placed.byNode).map(([nodeId, messages]) => [nodeId, { problems: messages }]),
  );

  if (loaded.error) {
    return (
      <main>
        <ErrorAlert message={loaded.error} />
      </main>
    );
  }
  if (!workflow || !shown) return <main>Loading…</main>;

  const snapshot = async () => {
    try {
      const version = await api.post<WorkflowVersion>(`/v1/workflows/${workflowId}/versions`, {});
      setVersionMessage(`Saved version ${version.number}.`);
      versions.reload();
    } catch (failure) {
      setVersionMessage(errorMessage(failure));
    }
  };

  return (
    <main>
      <h1>{workflow.name}</h1>
      <p className="hint">
        {workflow.description ? `${workflow.description} · ` : ''}id {workflow.id} · revision {workflow.revision} ·
        updated {formatTime(workflow.updated_at)}
      </p>
      <div className="columns">
        <div className="wide">
          <Graph definition={shown} info={info} label="Workflow graph" />
          {placed.general.length > 0 && (
            <ul className="problems" aria-label="Problems not tied to one node">
              {placed.general.map((error, index) => (
                <li key={index}>
                  <code>{error.field}</code>: {error.message}
                </li>
              ))}
            </ul>
          )}
          <DefinitionEditor
            workflow={workflow}
            onSaved={(updated) => {
              setSaved(updated);
              setProblems({ sent: undefined, errors: [] });
            }}
            onProblems={(sent, errors) => setProblems({ sent, errors })}
          />
        </div>
        <div className="side">
          <RunForm workflowId={workflow.id} definition={workflow.definition} versions={versions.data?.items ?? []} />
          <section aria-labelledby="versions-title">
            <h2 id="versions-title">Versions</h2>
            <button type="button" onClick={snapshot}>
              Save draft as a new version
            </button>
            {versionMessage && <p role="status">{versionMessage}</p>}
            {versions.data?.items.length === 0 && <p>No versions yet.</p>}
            <ul>
              {versions.data?.items.map((version) => (
                <li key={version.id}>
                  <strong>
                    {version.number}: {version.name}
                  </strong>{' '}
                  <span className="hint">{formatTime(version.created_at)}</span>
                </li>
              ))}
            </ul>
          </section>
        </div>
      </div>
      <section aria-labelledby="runs-title">
        <h2 id="runs-title">
          Recent runs{' '}
          <button type="button" onClick={runs.reload}>
            Refresh
          </button>{' '}
          <Link to={`/runs?${queryFromFilters({ ...NO_FILTERS, workflow_id: workflow.id })}`} className="heading-link">
            Search all its runs
          </Link>
        </h2>
        {runs.error && <p className="error">{runs.error}</p>}
        {runs.data && (
          <RunsTable runs={runs.data.items} caption={`Latest ${runs.data.items.length} of ${runs.data.total}`} />
        )}
      </section>
    </main>
  );
}
