import { api, request } from '../api';
import './admin-pages.css';
import { AdminOnly } from '../components/AdminOnly';
import { ColumnHeads, counted, ErrorAlert } from '../components/common';
import { ConfirmButton } from '../components/ActionButton';
import { formatTime, useLoad } from '../hooks';
import { PageButtons, usePagedList } from '../components/PagedList';
import type { Group, Page } from '../types';
import { ApiKeyForm } from './ApiKeyForm';
import type { ApiKey } from './api-key';

export function ApiKeysPage() {
  return (
    <main>
      <h1>API keys</h1>
      <AdminOnly what="API keys">{(me) => <ApiKeys ownKeyId={me.key_id} />}</AdminOnly>
    </main>
  );
}

/** Every key (never its secret, which is shown once at creation): create, revoke. */
function ApiKeys({ ownKeyId }: { ownKeyId: string }) {
  const keys = usePagedList<ApiKey>('/v1/api-keys');
  const groups = useLoad((signal) => api.get<Page<Group>>('/v1/groups?page_size=100', signal), []);
  const groupNames = new Map(groups.data?.items.map((group) => [group.id, group.name]));
  return (
    <>
      <ApiKeyForm groups={groups.data?.items ?? []} onCreated={keys.reload} />
      <ErrorAlert message={groups.error && `Groups: ${groups.error}`} />
      <ErrorAlert message={keys.error} />
      {keys.data && (
        <table>
          <caption>{counted(keys.data.total, 'API key')}</caption>
          <ColumnHeads names={['Name', 'Prefix', 'Role', 'Groups', 'Created', 'Last used', 'Expires', 'State']} />
          <tbody>
            {keys.data.items.map((key) => (
              <tr key={key.id} data-testid={`api-key-${key.id}`}>
                <td>{key.name}</td>
                <td>
                  <code>{key.prefix}…</code>
                </td>
                <td>{key.role}</td>
                <td>
                  {key.group_ids
                    .map((id) => `${groupNames.get(id) ?? id}${id === key.default_group_id ? ' (default)' : ''}`)
                    .join(', ')}
                </td>
                <td>{formatTime(key.created_at)}</td>
                <td>{formatTime(key.last_used_at)}</td>
                <td>{key.expires_at ? formatTime(key.expires_at) : 'never'}</td>
                <td>
                  {key.revoked_at ? (
                    `revoked ${formatTime(key.revoked_at)}`
                  ) : (
                    <ConfirmButton
                      label={`Revoke ${key.name}`}
                      confirmLabel="Revoke key"
                      question={
                        key.id === ownKeyId
                          ? `Revoke ${key.name}? It is the key this console is signed in with: the console stops working.`
                          : `Revoke ${key.name}? It stops working at once.`
                      }
                      onConfirm={async () => {
                        await request('DELETE', `/v1/api-keys/${key.id}`);
                        keys.reload();
                      }}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <PageButtons list={keys} label="API keys" />
    </>
  );
}
