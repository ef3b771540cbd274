import { useState } from 'react';
import { api } from '../api';
import { ErrorAlert } from '../components/common';
import { RunForm } from '../components/RunForm';
import { RunsTable } from '../components/RunsTable';
import { Tabs } from '../components/Tabs';
import { ConflictDialog } from '../editor/ConflictDialog';
import { definitionText, JsonTab, parseDefinitionText } from '../editor/JsonTab';
import { useTestRun } from '../debug/useTestRun';
import { useDraft } from '../editor/use-draft';
import { useSave } from '../editor/use-save';
import { WorkflowEditor } from '../editor/WorkflowEditor';
import { formatTime, useLoad } from '../hooks';
import { NO_FILTERS, queryFromFilters } from '../run-filters';
import { Link } from '../router';
import type { Page, Run, Workflow, WorkflowVersion } from '../types';
import { VersionsPanel } from '../versions/VersionsPanel';

const TABS = [
  { id: 'editor', title: 'Editor' },
  { id: 'json', title: 'JSON' },
  { id: 'versions', title: 'Versions' },
  { id: 'runs', title: 'Runs' },
] as const;
type Tab = (typeof TABS)[number]['id'];

/** A workflow: the visual editor of its draft, the draft as JSON, its versions, its runs. */
export function WorkflowPage({ workflowId }: { workflowId: string }) {
  const loaded = useLoad((signal) => api.get<Workflow>(`/v1/workflows/${workflowId}`, signal), [workflowId]);
  if (loaded.error) {
    return (
      <main>
        <ErrorAlert message={loaded.error} />
      </main>
    );
  }
  if (!loaded.data) return <main>Loading…</main>;
  return <LoadedWorkflow key={loaded.data.id} workflow={loaded.data} />;
}

function LoadedWorkflow({ workflow }: { workflow: Workflow }) {
  const draft = useDraft(workflow);
  const saving = useSave(draft);
  const testRun = useTestRun(draft.stored, {
    definition: draft.definition,
    unsaved: draft.unsaved,
    save: () => saving.save(draft.definition),
  });
  const [tab, setTab] = useState<Tab>('editor');
  const [json, setJson] = useState<{ text: string; problem?: string }>();
  const stored = draft.stored;

  /** Leaving the JSON tab takes its text back into the draft, unless it is not a definition. */
  const choose = (next: Tab) => {
    if (next === tab) return;
    if (tab === 'json' && json) {
      if (json.text !== definitionText(draft.definition)) {
        const parsed = parseDefinitionText(json.text);
        if ('problem' in parsed)
          return setJson({ ...json, problem: `${parsed.problem} Fix it or undo your edit to leave.` });
        draft.edit(parsed.definition);
      }
      setJson(undefined);
    }
    if (next === 'json') setJson({ text: definitionText(draft.definition) });
    setTab(next);
  };

  return (
    <main className="workflow-page">
      <h1>{stored.name}</h1>
      <p className="hint">
        {stored.description ? `${stored.description} · ` : ''}
        {stored.slug ? `slug ${stored.slug} · ` : ''}id {stored.id} · revision {stored.revision} · updated{' '}
        {formatTime(stored.updated_at)}
      </p>
      <Tabs label="Workflow" tabs={TABS} chosen={tab} onChoose={choose}>
        {tab === 'editor' && (
          <WorkflowEditor
            draft={draft}
            saving={saving}
            onSnapshot={() => choose('versions')}
            runInfo={testRun.runInfo}
            nodeMenu={testRun.nodeMenu}
            sidePanel={testRun.panel}
          />
        )}
        {tab === 'json' && json && (
          <JsonTab text={json.text} problem={json.problem} onText={(text) => setJson({ text })} />
        )}
        {tab === 'versions' && <VersionsPanel workflow={stored} onRestored={draft.adopt} />}
        {tab === 'runs' && <RunsTab workflow={stored} />}
      </Tabs>
      {saving.conflict && (
        <ConflictDialog
          theirs={saving.conflict.theirs}
          mine={saving.conflict.mine}
          onChoose={(choice) => void saving.resolve(choice)}
        />
      )}
    </main>
  );
}

function RunsTab({ workflow }: { workflow: Workflow }) {
  const runs = useLoad(
    (signal) => api.get<Page<Run>>(`/v1/workflows/${workflow.id}/runs?page_size=20`, signal),
    [workflow.id],
  );
  const versions = useLoad(
    (signal) => api.get<Page<WorkflowVersion>>(`/v1/workflows/${workflow.id}/versions?page_size=100`, signal),
    [workflow.id],
  );
  return (
    <div className="columns">
      <section className="wide" aria-labelledby="runs-title">
        <h2 id="runs-title">
          Recent runs{' '}
          <button type="button" onClick={runs.reload}>
            Refresh
          </button>{' '}
          <Link to={`/runs?${queryFromFilters({ ...NO_FILTERS, workflow_id: workflow.id })}`} className="heading-link">
            Search all its runs
          </Link>
        </h2>
        <ErrorAlert message={runs.error} />
        {runs.data && (
          <RunsTable runs={runs.data.items} caption={`Latest ${runs.data.items.length} of ${runs.data.total}`} />
        )}
      </section>
      <div className="side">
        <RunForm workflowId={workflow.id} definition={workflow.definition} versions={versions.data?.items ?? []} />
      </div>
    </div>
  );
}
