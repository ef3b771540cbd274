import { useMemo } from 'react';
import { loadAllWorkflows } from './all-workflows';
import { credentials } from './api';
import { useLoad } from './hooks';

/**
 * Workflow names by id, read once per page load and acting group. An id the lookup lacks (a
 * workflow created since) reads the list again, once; an id still missing then is a deleted
 * workflow, shown by its id.
 */
const lookups = new Map<string, Promise<Map<string, string>>>();
const deleted = new Set<string>();

function readNames(group: string): Promise<Map<string, string>> {
  // Not aborted with a page: the answer is shared by every page that asks.
  const lookup = loadAllWorkflows(new AbortController().signal).then(
    ({ items }) => new Map(items.map((workflow) => [workflow.id, workflow.name])),
  );
  lookups.set(group, lookup);
  lookup.catch(() => lookups.delete(group));
  return lookup;
}

export async function workflowNames(ids: readonly string[]): Promise<Map<string, string>> {
  const group = credentials.groupId() ?? '';
  let names = await (lookups.get(group) ?? readNames(group));
  const unknown = ids.filter((id) => !names.has(id) && !deleted.has(`${group}/${id}`));
  if (unknown.length > 0) {
    names = await readNames(group);
    for (const id of unknown) if (!names.has(id)) deleted.add(`${group}/${id}`);
  }
  return names;
}

/** The names of the workflows `ids` name (an empty map until they arrive). */
export function useWorkflowNames(ids: readonly string[]): Map<string, string> {
  const wanted = [...new Set(ids)].sort().join(',');
  const loaded = useLoad(() => workflowNames(wanted ? wanted.split(',') : []), [wanted]);
  return useMemo(() => loaded.data ?? new Map<string, string>(), [loaded.data]);
}
