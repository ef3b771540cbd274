import { useRef, useState } from 'react';
import { api } from '../api';
import { ErrorAlert } from '../components/common';
import { useLoad } from '../hooks';
import type { Page, Workflow, WorkflowVersion } from '../types';
import { CompareDefinitions, type Comparison } from './CompareDefinitions';
import { comparableDefinitions, defaultComparison, DRAFT_KEY } from './compared-definitions';
import { SnapshotForm } from './SnapshotForm';
import { VersionHistory } from './VersionHistory';
import './versions.css';

/** The most versions one page of the API holds: the history shows the newest this many. */
const HISTORY_SIZE = 100;

/**
 * A workflow's versions: snapshot the draft with a message, the history, restore a version into
 * the draft, and compare any two of the draft and the versions. `onRestored` receives the workflow
 * as it now stands: after a restore, or reloaded after a restore refused as stale.
 */
export function VersionsPanel({
  workflow,
  onRestored,
}: {
  workflow: Workflow;
  onRestored: (workflow: Workflow) => void;
}) {
  const versions = useLoad(
    (signal) =>
      api.get<Page<WorkflowVersion>>(`/v1/workflows/${workflow.id}/versions?page_size=${HISTORY_SIZE}`, signal),
    [workflow.id],
  );
  const [comparison, setComparison] = useState<Comparison>();
  const compareArea = useRef<HTMLDivElement>(null);
  const items = versions.data?.items ?? [];

  return (
    <div className="versions">
      <SnapshotForm workflowId={workflow.id} onSnapshot={versions.reload} />
      <section aria-labelledby="version-history-title">
        <h2 id="version-history-title">Version history</h2>
        <ErrorAlert message={versions.error} />
        {versions.data && (
          <VersionHistory
            workflow={workflow}
            versions={items}
            total={versions.data.total}
            onCompareWithDraft={(version) => {
              setComparison({ before: version.id, after: DRAFT_KEY });
              compareArea.current?.scrollIntoView({ block: 'start' });
            }}
            onRestored={onRestored}
          />
        )}
      </section>
      <div ref={compareArea}>
        <CompareDefinitions
          sources={comparableDefinitions(workflow, items)}
          chosen={comparison ?? defaultComparison(items)}
          onChoose={setComparison}
        />
      </div>
    </div>
  );
}
