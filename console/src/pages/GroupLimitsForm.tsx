import { useState } from 'react';
import { AdminForm, useFormAction } from '../components/AdminForm';
import { api, request } from '../api';
import { ErrorAlert } from '../components/common';
import { FormField, localProblem } from '../components/FormField';
import { useLoad } from '../hooks';

interface GroupLimit {
  value: number;
  default: number;
  overridden: boolean;
}

interface GroupDetails {
  id: string;
  name: string;
  limits: Record<string, GroupLimit>;
  usage: Record<string, number>;
}

/**
 * A group's limits as the API lists them (whatever limits the deployment has): a field per limit,
 * its own value or empty for the deployment's default; saved with PATCH, only what changed.
 */
export function GroupLimitsForm({ groupId }: { groupId: string }) {
  const group = useLoad((signal) => api.get<GroupDetails>(`/v1/groups/${groupId}`, signal), [groupId]);
  const [edits, setEdits] = useState<Record<string, string>>({});
  const action = useFormAction(async () => {
    const changes: Record<string, number | null> = {};
    for (const [limit, text] of Object.entries(edits)) {
      if (text.trim() === '') changes[limit] = null;
      else if (/^\d+$/.test(text.trim())) changes[limit] = Number(text);
      else throw localProblem(`limits.${limit}`, 'must be a whole number, or empty for the default');
    }
    await request('PATCH', `/v1/groups/${groupId}`, { body: { limits: changes } });
    setEdits({});
    group.reload();
    return 'Limits saved.';
  });
  if (!group.data) return <ErrorAlert message={group.error} />;
  const { limits, name, usage } = group.data;
  const textOf = (limit: string) => edits[limit] ?? (limits[limit].overridden ? String(limits[limit].value) : '');

  return (
    <AdminForm
      id="group-limits"
      title={`Limits of ${name}`}
      submitLabel="Save limits"
      action={action}
      fields={Object.keys(limits).map((limit) => `limits.${limit}`)}
    >
      <p className="hint">
        In use now:{' '}
        {Object.entries(usage)
          .map(([what, count]) => `${what} ${count}`)
          .join(', ')}
      </p>
      {Object.entries(limits).map(([limit, current]) => (
        <FormField
          key={limit}
          id={`limit-${limit}`}
          label={limit}
          field={`limits.${limit}`}
          failure={action.failure}
          help={`In force: ${current.value}${current.overridden ? '' : ' (the default)'}; default ${current.default}. Empty: the default.`}
          control={(props) => (
            <input
              {...props}
              inputMode="numeric"
              placeholder={String(current.default)}
              value={textOf(limit)}
              onChange={(event) => setEdits({ ...edits, [limit]: event.target.value })}
            />
          )}
        />
      ))}
    </AdminForm>
  );
}
