import { useState } from 'react';
import { AdminForm, useFormAction } from '../components/AdminForm';
import { request } from '../api';
import { FormField } from '../components/FormField';
import type { Group } from '../types';

/** Rename a group, or delete it: the API's refusal (what the group still holds) shows under the form. */
export function GroupManageForms({ group, onChanged }: { group: Group; onChanged: () => void }) {
  const [name, setName] = useState(group.name);
  const [force, setForce] = useState(false);
  const rename = useFormAction(async () => {
    await request('PATCH', `/v1/groups/${group.id}`, { body: { name } });
    onChanged();
    return `Renamed to ${name}.`;
  });
  const remove = useFormAction(async () => {
    await request('DELETE', `/v1/groups/${group.id}${force ? '?force=true' : ''}`);
    onChanged();
    return undefined;
  });
  return (
    <>
      <AdminForm
        id="group-rename"
        title={`Rename ${group.name}`}
        submitLabel="Rename group"
        action={rename}
        fields={['name']}
      >
        <FormField
          id="group-new-name"
          label="New name"
          field="name"
          failure={rename.failure}
          control={(props) => <input {...props} value={name} onChange={(event) => setName(event.target.value)} />}
        />
      </AdminForm>
      <AdminForm
        id="group-delete"
        title={`Delete ${group.name}`}
        submitLabel="Delete group"
        action={remove}
        fields={[]}
      >
        <label>
          <input type="checkbox" checked={force} onChange={(event) => setForce(event.target.checked)} /> with everything
          it holds (workflows, runs, schedules, secrets; its keys are revoked)
        </label>
      </AdminForm>
    </>
  );
}
