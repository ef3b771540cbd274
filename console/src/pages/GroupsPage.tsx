import { useState } from 'react';
import { AdminForm, useFormAction } from '../components/AdminForm';
import './admin-pages.css';
import { api } from '../api';
import { AdminOnly } from '../components/AdminOnly';
import { ColumnHeads, counted, ErrorAlert } from '../components/common';
import { FormField } from '../components/FormField';
import { formatTime } from '../hooks';
import { PageButtons, usePagedList } from '../components/PagedList';
import type { Group } from '../types';
import { GroupLimitsForm } from './GroupLimitsForm';
import { GroupManageForms } from './GroupManageForms';

interface ListedGroup extends Group {
  created_at: string;
}

export function GroupsPage() {
  return (
    <main>
      <h1>Groups</h1>
      <AdminOnly what="groups">{() => <Groups />}</AdminOnly>
    </main>
  );
}

/** Every group (workspace): create one, open one to change its limits, rename or delete it. */
function Groups() {
  const groups = usePagedList<ListedGroup>('/v1/groups');
  const [openId, setOpenId] = useState<string>();
  const open = groups.data?.items.find((group) => group.id === openId);
  const changed = () => {
    setOpenId(undefined);
    groups.reload();
  };
  return (
    <>
      <GroupForm onCreated={groups.reload} />
      <ErrorAlert message={groups.error} />
      {groups.data && (
        <table>
          <caption>{counted(groups.data.total, 'group')}</caption>
          <ColumnHeads names={['Name', 'Id', 'Created', 'Limits']} />
          <tbody>
            {groups.data.items.map((group) => (
              <tr key={group.id}>
                <td>{group.name}</td>
                <td>
                  <code>{group.id}</code>
                </td>
                <td>{formatTime(group.created_at)}</td>
                <td>
                  <button
                    type="button"
                    aria-expanded={openId === group.id}
                    aria-controls="group-limits"
                    onClick={() => setOpenId(openId === group.id ? undefined : group.id)}
                  >
                    Limits of {group.name}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <PageButtons list={groups} label="Groups" />
      {open && <GroupLimitsForm key={open.id} groupId={open.id} />}
      {open && <GroupManageForms key={`manage-${open.id}`} group={open} onChanged={changed} />}
    </>
  );
}

function GroupForm({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const action = useFormAction(async () => {
    const group = await api.post<Group>('/v1/groups', { name });
    setName('');
    onCreated();
    return `Created ${group.name}.`;
  });
  return (
    <AdminForm id="group-form" title="New group" submitLabel="Create group" action={action} fields={['name']}>
      <FormField
        id="group-name"
        label="Name"
        field="name"
        failure={action.failure}
        control={(props) => <input {...props} value={name} onChange={(event) => setName(event.target.value)} />}
      />
    </AdminForm>
  );
}
