import { useState } from 'react';
import { api } from '../api';
import { AdminForm, useFormAction } from '../components/AdminForm';
import { FormField, localProblem } from '../components/FormField';
import { MetadataEditor } from '../components/Metadata';
import { metadataFromRows, rowsFromMetadata } from '../metadata-rows';
import { useLoad } from '../hooks';
import type { Page, Workflow, WorkflowVersion } from '../types';
import type { Schedule } from './schedule';

const FIELDS = [
  'workflow_id',
  'workflow_version_id',
  'cron',
  'timezone',
  'input',
  'callback_url',
  'metadata',
  'enabled',
];

/** The browser's own zone first: a person usually means their local hours. */
const LOCAL_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** POST /v1/workflows/{id}/schedules: the API checks the cron, the zone and the input against the workflow. */
export function ScheduleForm({ workflows, onCreated }: { workflows: Workflow[]; onCreated: () => void }) {
  const [workflowId, setWorkflowId] = useState('');
  const [versionId, setVersionId] = useState('');
  const versions = useLoad(
    (signal) =>
      workflowId
        ? api.get<Page<WorkflowVersion>>(`/v1/workflows/${workflowId}/versions?page_size=100`, signal)
        : Promise.resolve(undefined),
    [workflowId],
  );
  const [cron, setCron] = useState('');
  const [timezone, setTimezone] = useState(LOCAL_ZONE);
  const [inputText, setInputText] = useState('{}');
  const [callbackUrl, setCallbackUrl] = useState('');
  const [metadataRows, setMetadataRows] = useState(() => rowsFromMetadata({}));
  const [paused, setPaused] = useState(false);

  const action = useFormAction(async () => {
    let input: unknown;
    try {
      input = JSON.parse(inputText || '{}');
    } catch (error) {
      throw localProblem('input', `is not JSON: ${(error as Error).message}`);
    }
    if (!workflowId) throw localProblem('workflow_id', 'choose the workflow the schedule runs');
    const schedule = await api.post<Schedule>(`/v1/workflows/${workflowId}/schedules`, {
      cron,
      timezone,
      input,
      metadata: metadataFromRows(metadataRows),
      enabled: !paused,
      ...(versionId ? { workflow_version_id: versionId } : {}),
      ...(callbackUrl ? { callback_url: callbackUrl } : {}),
    });
    setCron('');
    onCreated();
    const next = schedule.next_run_at ? new Date(schedule.next_run_at).toLocaleString() : 'none (paused)';
    return `Created; next run ${next}.`;
  });

  return (
    <AdminForm id="schedule-form" title="New schedule" submitLabel="Create schedule" action={action} fields={FIELDS}>
      <FormField
        id="schedule-workflow"
        label="Workflow"
        field="workflow_id"
        failure={action.failure}
        control={(props) => (
          <select
            {...props}
            value={workflowId}
            onChange={(event) => {
              setWorkflowId(event.target.value);
              setVersionId('');
            }}
          >
            <option value="">Choose a workflow</option>
            {workflows.map((workflow) => (
              <option key={workflow.id} value={workflow.id}>
                {workflow.name}
              </option>
            ))}
          </select>
        )}
      />
      <FormField
        id="schedule-version"
        label="Definition"
        field="workflow_version_id"
        failure={action.failure}
        help="The draft as it is at each tick, or a version that stays fixed."
        control={(props) => (
          <select {...props} value={versionId} onChange={(event) => setVersionId(event.target.value)}>
            <option value="">The draft at each tick</option>
            {versions.data?.items.map((version) => (
              <option key={version.id} value={version.id}>
                Version {version.number}: {version.name}
              </option>
            ))}
          </select>
        )}
      />
      <FormField
        id="schedule-cron"
        label="Cron"
        field="cron"
        failure={action.failure}
        help="minute hour day-of-month month day-of-week (a seconds field may come first), e.g. 0 7 * * 1-5"
        control={(props) => <input {...props} value={cron} onChange={(event) => setCron(event.target.value)} />}
      />
      <FormField
        id="schedule-timezone"
        label="Time zone"
        field="timezone"
        failure={action.failure}
        help="The IANA zone the cron is read in, e.g. Europe/Paris or UTC."
        control={(props) => <input {...props} value={timezone} onChange={(event) => setTimezone(event.target.value)} />}
      />
      <FormField
        id="schedule-input"
        label="Input (JSON object)"
        field="input"
        failure={action.failure}
        help="The input of every run it starts."
        control={(props) => (
          <textarea
            {...props}
            className="code"
            rows={4}
            value={inputText}
            onChange={(event) => setInputText(event.target.value)}
          />
        )}
      />
      <FormField
        id="schedule-callback"
        label="Callback URL (optional)"
        field="callback_url"
        failure={action.failure}
        control={(props) => (
          <input {...props} type="url" value={callbackUrl} onChange={(event) => setCallbackUrl(event.target.value)} />
        )}
      />
      <MetadataEditor legend="Metadata of its runs" rows={metadataRows} onChange={setMetadataRows} />
      <label className="check">
        <input type="checkbox" checked={paused} onChange={(event) => setPaused(event.target.checked)} /> Create it
        paused
      </label>
    </AdminForm>
  );
}
