import { useState, type FormEvent } from 'react';
import './admin-pages.css';
import { api } from '../api';
import { AdminOnly } from '../components/AdminOnly';
import { ColumnHeads, counted, ErrorAlert } from '../components/common';
import { FormField, FormProblem } from '../components/FormField';
import { formatTime } from '../hooks';
import { PageButtons, usePagedList } from '../components/PagedList';
import type { Group } from '../types';
import { GroupLimitsForm } from './GroupLimitsForm';

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

/** Every group (workspace): create one, open one's limits to change them. */
function Groups() {
  const groups = usePagedList<ListedGroup>('/v1/groups');
  const [openId, setOpenId] = useState<string>();
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
      {openId && <GroupLimitsForm key={openId} groupId={openId} />}
    </>
  );
}

function GroupForm({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [failure, setFailure] = useState<unknown>();
  const [created, setCreated] = useState<string>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(undefined);
    setCreated(undefined);
    try {
      const group = await api.post<Group>('/v1/groups', { name });
      setCreated(`Created ${group.name}.`);
      setName('');
      onCreated();
    } catch (error) {
      setFailure(error);
    }
  };
  return (
    <form className="admin-form" onSubmit={submit} aria-labelledby="group-form-title">
      <h2 id="group-form-title">New group</h2>
      <FormField
        id="group-name"
        label="Name"
        field="name"
        failure={failure}
        control={(props) => <input {...props} value={name} onChange={(event) => setName(event.target.value)} />}
      />
      <div className="toolbar">
        <button type="submit">Create group</button>
        {created && (
          <span role="status" className="ok">
            {created}
          </span>
        )}
      </div>
      <FormProblem failure={failure} fields={['name']} />
    </form>
  );
}
