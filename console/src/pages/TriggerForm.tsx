import { useState } from 'react';
import { api } from '../api';
import { AdminForm, useFormAction } from '../components/AdminForm';
import { FormField } from '../components/FormField';
import type { Trigger } from './trigger';

const FIELDS = [
  'name',
  'mode',
  'input_mapping',
  'verification',
  'verification.type',
  'verification.tolerance_seconds',
  'verification.header',
  'verification.algorithm',
  'verification.encoding',
  'verification.prefix',
  'verification.id_header',
  'secret',
];
const TYPES = ['github', 'standard_webhooks', 'stripe', 'hmac', 'none'];

/** POST /v1/workflows/{id}/triggers; the answer's URL and secret go to `onCreated`, to be shown once. */
export function TriggerForm({ workflowId, onCreated }: { workflowId: string; onCreated: (trigger: Trigger) => void }) {
  const [name, setName] = useState('');
  const [type, setType] = useState('github');
  const [mode, setMode] = useState('async');
  const [mapping, setMapping] = useState('{ "User Question": body.message }');
  const [secret, setSecret] = useState('');
  const [tolerance, setTolerance] = useState('');
  const [header, setHeader] = useState('');
  const [algorithm, setAlgorithm] = useState('sha256');
  const [encoding, setEncoding] = useState('hex');
  const [idHeader, setIdHeader] = useState('');

  const action = useFormAction(async () => {
    const verification: Record<string, unknown> = { type };
    if (tolerance && (type === 'standard_webhooks' || type === 'stripe'))
      verification.tolerance_seconds = Number(tolerance);
    if (type === 'hmac') Object.assign(verification, { header, algorithm, encoding });
    if (idHeader && (type === 'hmac' || type === 'none')) verification.id_header = idHeader;
    const trigger = await api.post<Trigger>(`/v1/workflows/${workflowId}/triggers`, {
      name,
      mode,
      input_mapping: mapping,
      verification,
      ...(secret && type !== 'none' ? { secret } : {}),
    });
    setName('');
    setSecret('');
    onCreated(trigger);
    return `Created ${trigger.name}.`;
  });

  const input = (
    id: string,
    label: string,
    field: string,
    value: string,
    set: (value: string) => void,
    help?: string,
  ) => (
    <FormField
      id={id}
      label={label}
      field={field}
      failure={action.failure}
      help={help}
      control={(props) => <input {...props} value={value} onChange={(event) => set(event.target.value)} />}
    />
  );
  const choice = (
    id: string,
    label: string,
    field: string,
    value: string,
    set: (value: string) => void,
    options: string[],
  ) => (
    <FormField
      id={id}
      label={label}
      field={field}
      failure={action.failure}
      control={(props) => (
        <select {...props} value={value} onChange={(event) => set(event.target.value)}>
          {options.map((option) => (
            <option key={option}>{option}</option>
          ))}
        </select>
      )}
    />
  );

  return (
    <AdminForm
      id="trigger-form"
      title="New webhook trigger"
      submitLabel="Create trigger"
      action={action}
      fields={FIELDS}
    >
      {input('trigger-name', 'Name', 'name', name, setName)}
      {choice('trigger-type', 'Verification', 'verification.type', type, setType, TYPES)}
      {choice('trigger-mode', 'Mode', 'mode', mode, setMode, ['async', 'sync'])}
      <FormField
        id="trigger-mapping"
        label="Input mapping (JSONata over body, headers, query)"
        field="input_mapping"
        failure={action.failure}
        control={(props) => (
          <textarea
            {...props}
            className="code"
            rows={3}
            value={mapping}
            onChange={(event) => setMapping(event.target.value)}
          />
        )}
      />
      {(type === 'standard_webhooks' || type === 'stripe') &&
        input(
          'trigger-tolerance',
          'Tolerance (seconds)',
          'verification.tolerance_seconds',
          tolerance,
          setTolerance,
          'Default 300.',
        )}
      {type === 'hmac' && (
        <>
          {input('trigger-header', 'Signature header', 'verification.header', header, setHeader)}
          {choice('trigger-algorithm', 'Algorithm', 'verification.algorithm', algorithm, setAlgorithm, [
            'sha256',
            'sha512',
            'sha1',
          ])}
          {choice('trigger-encoding', 'Encoding', 'verification.encoding', encoding, setEncoding, ['hex', 'base64'])}
        </>
      )}
      {(type === 'hmac' || type === 'none') &&
        input('trigger-id-header', 'Delivery id header (optional)', 'verification.id_header', idHeader, setIdHeader)}
      {type !== 'none' &&
        input(
          'trigger-secret',
          'Secret (optional)',
          'secret',
          secret,
          setSecret,
          "The sender's signing secret; generated when empty.",
        )}
    </AdminForm>
  );
}
