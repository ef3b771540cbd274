import { useState } from 'react';
import { AdminForm, useFormAction } from '../components/AdminForm';
import './admin-pages.css';
import { ColumnHeads, counted, ErrorAlert } from '../components/common';
import { ConfirmButton } from '../components/ActionButton';
import { FormField } from '../components/FormField';
import { formatTime } from '../hooks';
import { PageButtons, usePagedList } from '../components/PagedList';
import { request } from '../api';

interface Secret {
  name: string;
  created_at: string;
  updated_at: string;
  updated_by_key_id: string | null;
}

const secretPath = (name: string) => `/v1/secrets/${encodeURIComponent(name)}`;

/** The group's secrets by name; values are written here and never read back (the API never returns them). */
export function SecretsPage() {
  const secrets = usePagedList<Secret>('/v1/secrets');
  return (
    <main>
      <h1>Secrets</h1>
      <p className="hint">
        Node configs use a secret as <code>((secrets.NAME))</code>; what runs record shows <code>[secret:NAME]</code>{' '}
        instead of its value. A value cannot be read back, only replaced.
      </p>
      <SecretForm onSaved={secrets.reload} />
      <ErrorAlert message={secrets.error} />
      {secrets.data &&
        (secrets.data.items.length === 0 ? (
          <p>No secrets yet.</p>
        ) : (
          <table>
            <caption>{counted(secrets.data.total, 'secret')}</caption>
            <ColumnHeads names={['Name', 'Created', 'Value set', 'Actions']} />
            <tbody>
              {secrets.data.items.map((secret) => (
                <tr key={secret.name}>
                  <td>
                    <code>{secret.name}</code>
                  </td>
                  <td>{formatTime(secret.created_at)}</td>
                  <td>{formatTime(secret.updated_at)}</td>
                  <td>
                    <ConfirmButton
                      label={`Delete ${secret.name}`}
                      confirmLabel="Delete secret"
                      question={`Delete ${secret.name}? Runs that use it fail from now on.`}
                      onConfirm={async () => {
                        await request('DELETE', secretPath(secret.name));
                        secrets.reload();
                      }}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      <PageButtons list={secrets} label="Secrets" />
    </main>
  );
}

/** Sets a secret (a new name creates it, an existing one gets the new value); the value is forgotten once sent. */
function SecretForm({ onSaved }: { onSaved: () => void }) {
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const action = useFormAction(async () => {
    try {
      const answer = await request('PUT', secretPath(name), { body: { value } });
      setName('');
      onSaved();
      return `${answer.status === 201 ? 'Created' : 'Replaced the value of'} ${name}.`;
    } finally {
      // Kept neither after a success nor after a refusal: it is typed again.
      setValue('');
    }
  });

  return (
    <AdminForm
      id="secret-form"
      title="Set a secret"
      submitLabel="Set secret"
      action={action}
      fields={['name', 'value']}
    >
      <FormField
        id="secret-name"
        label="Name"
        field="name"
        failure={action.failure}
        help="Letters, digits or _, not starting with a digit. An existing name gets the new value."
        control={(props) => (
          <input
            {...props}
            value={name}
            onChange={(event) => setName(event.target.value)}
            required
            autoComplete="off"
          />
        )}
      />
      <FormField
        id="secret-value"
        label="Value"
        field="value"
        failure={action.failure}
        help="8 characters or more. Write-only: never shown again."
        control={(props) => (
          <input
            {...props}
            type="password"
            value={value}
            onChange={(event) => setValue(event.target.value)}
            required
            autoComplete="new-password"
          />
        )}
      />
    </AdminForm>
  );
}
