import { useMemo, useState } from 'react';
import { api, type FieldError } from '../api';
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
import { VersionsPanel } from '../versions/VersionsPanel';
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
  // Bumped when a version is restored, so the JSON editor drops its text for the restored draft.
  const [restores, setRestores] = useState(0);
  const [problems, setProblems] = useState<{ sent: unknown; errors: FieldError[] }>({ sent: undefined, errors: [] });
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
            key={restores}
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
        </div>
      </div>
      <VersionsPanel
        workflow={workflow}
        onRestored={(restored) => {
          setSaved(restored);
          setRestores((count) => count + 1);
        }}
      />
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
