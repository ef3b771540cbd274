import type { ReactNode } from 'react';
import { api } from '../api';
import { useLoad } from '../hooks';
import type { CurrentKey } from './GroupPicker';
import { ErrorAlert } from './common';

/** What only admin keys may see and do; any other key is told so instead of meeting a 403. */
export function AdminOnly({ what, children }: { what: string; children: (me: CurrentKey) => ReactNode }) {
  const me = useLoad((signal) => api.get<CurrentKey>('/v1/me', signal), []);
  if (me.error) return <ErrorAlert message={me.error} />;
  if (!me.data) return <p>Loading…</p>;
  if (me.data.role !== 'admin') {
    return (
      <p className="notice" data-testid="admin-only">
        Only admin keys manage {what}. This console is signed in with a key of role {me.data.role}; ask an admin.
      </p>
    );
  }
  return <>{children(me.data)}</>;
}
