import { useState } from 'react';
import './admin-pages.css';
import { loadAllWorkflows } from '../all-workflows';
import { api, request } from '../api';
import { ActionButton, ConfirmButton } from '../components/ActionButton';
import { ColumnHeads, counted, ErrorAlert } from '../components/common';
import { formatTime, useLoad } from '../hooks';
import { PageButtons, usePagedList } from '../components/PagedList';
import { TriggerForm } from './TriggerForm';
import { absoluteUrl, triggerPath, type Trigger } from './trigger';

/** A workflow's webhook triggers: create, disable or enable, rotate credentials, delete. */
export function TriggersPage() {
  const workflows = useLoad(loadAllWorkflows, []);
  const [workflowId, setWorkflowId] = useState('');
  const [shown, setShown] = useState<Trigger>();
  return (
    <main>
      <h1>Webhook triggers</h1>
      <p className="hint">
        A trigger is a URL a third party posts to, signed its own way, that starts a run of the workflow. Its URL and
        secret are shown once, when made.
      </p>
      <ErrorAlert message={workflows.error && `Workflows: ${workflows.error}`} />
      <label>
        Workflow{' '}
        <select id="triggers-workflow" value={workflowId} onChange={(event) => setWorkflowId(event.target.value)}>
          <option value="">Choose a workflow</option>
          {workflows.data?.items.map((workflow) => (
            <option key={workflow.id} value={workflow.id}>
              {workflow.name}
            </option>
          ))}
        </select>
      </label>
      {shown && <Credentials trigger={shown} onDone={() => setShown(undefined)} />}
      {workflowId && <WorkflowTriggers key={workflowId} workflowId={workflowId} onCredentials={setShown} />}
    </main>
  );
}

function WorkflowTriggers({ workflowId, onCredentials }: { workflowId: string; onCredentials: (t: Trigger) => void }) {
  const triggers = usePagedList<Trigger>(`/v1/workflows/${workflowId}/triggers`);
  const made = (trigger: Trigger) => {
    onCredentials(trigger);
    triggers.reload();
  };
  return (
    <>
      <TriggerForm workflowId={workflowId} onCreated={made} />
      <ErrorAlert message={triggers.error} />
      {triggers.data &&
        (triggers.data.items.length === 0 ? (
          <p>No triggers on this workflow yet.</p>
        ) : (
          <table>
            <caption>{counted(triggers.data.total, 'trigger')}</caption>
            <ColumnHeads names={['Name', 'Verification', 'Mode', 'State', 'Last delivery', 'Actions']} />
            <tbody>
              {triggers.data.items.map((trigger) => (
                <tr key={trigger.id} data-testid={`trigger-${trigger.id}`}>
                  <td>{trigger.name}</td>
                  <td>{trigger.verification.type}</td>
                  <td>{trigger.mode}</td>
                  <td>{trigger.enabled ? 'enabled' : 'disabled'}</td>
                  <td>{formatTime(trigger.last_delivery_at)}</td>
                  <td className="actions">
                    <ActionButton
                      label={trigger.enabled ? 'Disable' : 'Enable'}
                      act={async () => {
                        await request('PATCH', triggerPath(trigger), { body: { enabled: !trigger.enabled } });
                        triggers.reload();
                      }}
                    />{' '}
                    <ConfirmButton
                      label="Rotate"
                      confirmLabel="Rotate URL and secret"
                      question={`Give ${trigger.name} a new URL and secret? The old ones stop working at once.`}
                      onConfirm={async () => made(await api.post<Trigger>(`${triggerPath(trigger)}/rotate`, {}))}
                    />{' '}
                    <ConfirmButton
                      label="Delete"
                      confirmLabel="Delete trigger"
                      question={`Delete ${trigger.name}? Its URL answers 404 from now on; its runs stay.`}
                      onConfirm={async () => {
                        await request('DELETE', triggerPath(trigger));
                        triggers.reload();
                      }}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      <PageButtons list={triggers} label="Triggers" />
    </>
  );
}

/** The URL and secret just made: shown until dismissed, never again. */
function Credentials({ trigger, onDone }: { trigger: Trigger; onDone: () => void }) {
  return (
    <section className="admin-form" role="status" aria-labelledby="trigger-credentials-title">
      <h2 id="trigger-credentials-title">{trigger.name}: store these now, they are not shown again</h2>
      {trigger.url && (
        <p>
          URL: <code>{absoluteUrl(trigger.url)}</code>
        </p>
      )}
      {trigger.secret && (
        <p>
          Secret: <code>{trigger.secret}</code>
        </p>
      )}
      <button type="button" onClick={onDone}>
        Done
      </button>
    </section>
  );
}
