import type { Definition, Workflow, WorkflowVersion } from '../types';

/** A definition the person may compare: the draft or one version. */
export interface ComparedDefinition {
  key: string;
  label: string;
  definition: Definition;
}

export const DRAFT_KEY = 'draft';

/** The draft, then the versions in the order given (newest first). */
export function comparableDefinitions(workflow: Workflow, versions: WorkflowVersion[]): ComparedDefinition[] {
  return [
    { key: DRAFT_KEY, label: `the draft (revision ${workflow.revision})`, definition: workflow.definition },
    ...versions.map((version) => ({
      key: version.id,
      label: `version ${version.number} (${version.name})`,
      definition: version.definition,
    })),
  ];
}

/** What a comparison opens on: the newest version against the draft, i.e. what changed since the last snapshot. */
export function defaultComparison(versions: WorkflowVersion[]): { before: string; after: string } | undefined {
  return versions.length ? { before: versions[0].id, after: DRAFT_KEY } : undefined;
}
