import './admin-pages.css';
import { loadAllWorkflows } from '../all-workflows';
import { request } from '../api';
import { ActionButton, ConfirmButton } from '../components/ActionButton';
import { ColumnHeads, counted, ErrorAlert } from '../components/common';
import { MetadataChips } from '../components/Metadata';
import { WorkflowLink } from '../components/WorkflowName';
import { formatTime, useLoad } from '../hooks';
import { PageButtons, usePagedList } from '../components/PagedList';
import { Link } from '../router';
import { ScheduleForm } from './ScheduleForm';
import { schedulePath, type Schedule } from './schedule';

/** The group's schedules across workflows: create, pause or resume, delete. */
export function SchedulesPage() {
  const schedules = usePagedList<Schedule>('/v1/schedules');
  const workflows = useLoad(loadAllWorkflows, []);
  const names = new Map(workflows.data?.items.map((workflow) => [workflow.id, workflow.name]));
  return (
    <main>
      <h1>Schedules</h1>
      <p className="hint">Each schedule starts a run of its workflow on every tick of its cron, in its time zone.</p>
      <ScheduleForm workflows={workflows.data?.items ?? []} onCreated={schedules.reload} />
      <ErrorAlert message={workflows.error && `Workflows: ${workflows.error}`} />
      <ErrorAlert message={schedules.error} />
      {schedules.data && (
        <SchedulesTable
          schedules={schedules.data.items}
          total={schedules.data.total}
          names={names}
          onChange={schedules.reload}
        />
      )}
      <PageButtons list={schedules} label="Schedules" />
    </main>
  );
}

function SchedulesTable({
  schedules,
  total,
  names,
  onChange,
}: {
  schedules: Schedule[];
  total: number;
  names: Map<string, string>;
  onChange: () => void;
}) {
  if (schedules.length === 0) return <p>No schedules yet.</p>;
  return (
    <table>
      <caption>{counted(total, 'schedule')}</caption>
      <ColumnHeads
        names={['Workflow', 'Definition', 'Cron', 'Time zone', 'State', 'Next run', 'Last run', 'Metadata', 'Actions']}
      />
      <tbody>
        {schedules.map((schedule) => (
          <tr key={schedule.id} data-testid={`schedule-${schedule.id}`}>
            <td>
              <WorkflowLink id={schedule.workflow_id} names={names} />
            </td>
            <td>{schedule.workflow_version_id ? `version ${schedule.workflow_version_id.slice(0, 8)}` : 'draft'}</td>
            <td>
              <code>{schedule.cron}</code>
            </td>
            <td>{schedule.timezone}</td>
            <td>{schedule.enabled ? 'active' : 'paused'}</td>
            <td>{formatTime(schedule.next_run_at)}</td>
            <td>
              {schedule.last_run_id && (
                <Link to={`/runs/${schedule.last_run_id}`}>{schedule.last_run_id.slice(0, 8)}</Link>
              )}
              {schedule.last_error && <span className="error"> {schedule.last_error}</span>}
            </td>
            <td>
              <MetadataChips metadata={schedule.metadata} />
            </td>
            <td className="actions">
              <PauseButton schedule={schedule} onChange={onChange} />{' '}
              <ConfirmButton
                label="Delete"
                confirmLabel="Delete schedule"
                question={`Delete the schedule ${schedule.cron} of ${names.get(schedule.workflow_id) ?? schedule.workflow_id}? Its runs stay.`}
                onConfirm={async () => {
                  await request('DELETE', schedulePath(schedule));
                  onChange();
                }}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** PATCH `enabled`: a paused schedule starts nothing until resumed. */
function PauseButton({ schedule, onChange }: { schedule: Schedule; onChange: () => void }) {
  return (
    <ActionButton
      label={schedule.enabled ? 'Pause' : 'Resume'}
      act={async () => {
        await request('PATCH', schedulePath(schedule), { body: { enabled: !schedule.enabled } });
        onChange();
      }}
    />
  );
}
