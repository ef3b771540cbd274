import { useEffect, useState } from 'react';
import { api, credentials } from '../api';
import type { Group, Page } from '../types';

/**
 * The group the console acts in. Admin keys can list every group; other keys act in their default
 * group unless a group id is entered (the API answers 403 for one outside the key's groups).
 */
export function GroupPicker({ onChange }: { onChange: () => void }) {
  const [groups, setGroups] = useState<Group[]>();
  const [groupId, setGroupId] = useState(credentials.groupId() ?? '');

  useEffect(() => {
    api
      .get<Page<Group>>('/v1/groups?page_size=100')
      .then((page) => setGroups(page.items))
      .catch(() => setGroups(undefined));
  }, []);

  const choose = (value: string) => {
    setGroupId(value);
    credentials.setGroup(value || null);
    onChange();
  };

  if (groups) {
    return (
      <label className="group-picker">
        Group
        <select value={groupId} onChange={(event) => choose(event.target.value)}>
          <option value="">key's default group</option>
          {groups.map((group) => (
            <option key={group.id} value={group.id}>
              {group.name}
            </option>
          ))}
        </select>
      </label>
    );
  }
  return (
    <form
      className="group-picker"
      onSubmit={(event) => {
        event.preventDefault();
        choose(groupId.trim());
      }}
    >
      <label>
        Group id
        <input
          value={groupId}
          placeholder="key's default group"
          onChange={(event) => setGroupId(event.target.value)}
          size={12}
        />
      </label>
      <button type="submit">Use</button>
    </form>
  );
}
