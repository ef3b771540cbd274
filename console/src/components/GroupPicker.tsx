import { useEffect, useState } from 'react';
import { api, credentials } from '../api';
import type { ApiKeyRole, Group, Page } from '../types';

/** GET /v1/me: the key the console signed in with. */
export interface CurrentKey {
  key_id: string;
  role: ApiKeyRole;
  default_group_id: string;
  groups: Group[];
}

/** The group the console acts in: one of the key's groups (GET /v1/me), or any group for an admin key. */
export function GroupPicker({ onChange }: { onChange: () => void }) {
  const [key, setKey] = useState<CurrentKey>();
  const [groups, setGroups] = useState<Group[]>([]);
  const [groupId, setGroupId] = useState(credentials.groupId() ?? '');

  useEffect(() => {
    const load = async () => {
      const me = await api.get<CurrentKey>('/v1/me');
      setKey(me);
      const all = me.role === 'admin' ? (await api.get<Page<Group>>('/v1/groups?page_size=100')).items : me.groups;
      setGroups(all.filter((group) => group.id !== me.default_group_id));
    };
    load().catch(() => setKey(undefined));
  }, []);

  if (!key) return null;
  const defaultGroup = key.groups.find((group) => group.id === key.default_group_id);
  return (
    <label className="group-picker">
      Group
      <select
        value={groupId}
        onChange={(event) => {
          setGroupId(event.target.value);
          credentials.setGroup(event.target.value || null);
          onChange();
        }}
      >
        <option value="">{defaultGroup?.name ?? 'default'} (default)</option>
        {groups.map((group) => (
          <option key={group.id} value={group.id}>
            {group.name}
          </option>
        ))}
      </select>
    </label>
  );
}
