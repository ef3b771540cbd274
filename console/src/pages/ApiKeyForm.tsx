import { useState } from 'react';
import { api } from '../api';
import { CheckboxGroup } from '../components/common';
import { AdminForm, useFormAction } from '../components/AdminForm';
import { FieldMessage, FormField } from '../components/FormField';
import type { ApiKeyRole, Group } from '../types';
import type { CreatedApiKey } from './api-key';

const FIELDS = ['name', 'role', 'group_ids', 'default_group_id', 'expires_at'];

/** Creates a key and shows its secret once, with a copy button; it cannot be read again. */
export function ApiKeyForm({ groups, onCreated }: { groups: Group[]; onCreated: () => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<ApiKeyRole>('editor');
  const [groupIds, setGroupIds] = useState<string[]>([]);
  const [defaultGroupId, setDefaultGroupId] = useState('');
  const [expiresAt, setExpiresAt] = useState('');
  const [created, setCreated] = useState<CreatedApiKey>();
  const groupName = new Map(groups.map((group) => [group.id, group.name]));

  const action = useFormAction(async () => {
    setCreated(undefined);
    const key = await api.post<CreatedApiKey>('/v1/api-keys', {
      name,
      role,
      group_ids: groupIds,
      ...(defaultGroupId && groupIds.includes(defaultGroupId) ? { default_group_id: defaultGroupId } : {}),
      // datetime-local is the browser's local time; the API wants an instant.
      ...(expiresAt ? { expires_at: new Date(expiresAt).toISOString() } : {}),
    });
    setCreated(key);
    setName('');
    onCreated();
    // The key, shown below, says it.
    return undefined;
  });

  return (
    <>
      <AdminForm id="key-form" title="New API key" submitLabel="Create key" action={action} fields={FIELDS}>
        <FormField
          id="key-name"
          label="Name"
          field="name"
          failure={action.failure}
          control={(props) => <input {...props} value={name} onChange={(event) => setName(event.target.value)} />}
        />
        <FormField
          id="key-role"
          label="Role"
          field="role"
          failure={action.failure}
          help="Each role can do what the one before it can: viewers read, runners also start and stop runs, editors also change workflows, schedules and secrets, admins also manage groups and keys in every group."
          control={(props) => (
            <select {...props} value={role} onChange={(event) => setRole(event.target.value as ApiKeyRole)}>
              <option value="viewer">viewer</option>
              <option value="runner">runner</option>
              <option value="editor">editor</option>
              <option value="admin">admin</option>
            </select>
          )}
        />
        <CheckboxGroup
          legend="Groups it may act in"
          className="choices"
          options={groups.map((group) => group.id)}
          chosen={groupIds}
          onChange={setGroupIds}
          labelOf={(id) => groupName.get(id) ?? id}
        />
        <FieldMessage failure={action.failure} field="group_ids" />
        <FormField
          id="key-default-group"
          label="Default group"
          field="default_group_id"
          failure={action.failure}
          help="Where it acts when a request names no group; the first chosen group if left alone."
          control={(props) => (
            <select {...props} value={defaultGroupId} onChange={(event) => setDefaultGroupId(event.target.value)}>
              <option value="">The first chosen group</option>
              {groupIds.map((id) => (
                <option key={id} value={id}>
                  {groupName.get(id) ?? id}
                </option>
              ))}
            </select>
          )}
        />
        <FormField
          id="key-expires"
          label="Expires (optional)"
          field="expires_at"
          failure={action.failure}
          control={(props) => (
            <input
              {...props}
              type="datetime-local"
              value={expiresAt}
              onChange={(event) => setExpiresAt(event.target.value)}
            />
          )}
        />
      </AdminForm>
      {created && <NewKey created={created} />}
    </>
  );
}

function NewKey({ created }: { created: CreatedApiKey }) {
  const [copied, setCopied] = useState<string>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied('Copied.');
    } catch {
      setCopied('The browser refused the clipboard: select the key and copy it.');
    }
  };
  return (
    <div className="new-key" role="group" aria-labelledby="new-key-title">
      <h3 id="new-key-title">Key “{created.name}” created</h3>
      <p>This is the only time it is shown: store it now.</p>
      <div className="toolbar">
        <code data-testid="new-key">{created.key}</code>
        <button type="button" onClick={copy}>
          Copy key
        </button>
        {copied && <span role="status">{copied}</span>}
      </div>
    </div>
  );
}
