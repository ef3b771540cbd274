/**
 * The export document (`runloom: workflow/v1`): one workflow with its versions and schedules, its
 * calls to other workflows written by slug and its secrets by name, so it can be kept in git and
 * imported into any group that has those workflows and secrets.
 */
export const DOCUMENT_FORMAT = 'workflow/v1';

/** A definition whose WorkflowNode/MapNode configs name workflows by `workflow` slug and `workflow_version` number. */
export type PortableDefinition = Record<string, unknown>;

export interface DocumentVersion {
  number: number;
  /** Defaults to `v<number>` on import. */
  name?: string;
  description: string | null;
  definition: PortableDefinition;
}

export interface DocumentSchedule {
  cron: string;
  timezone: string;
  /** The version number each run executes; null runs the draft. */
  version: number | null;
  input: Record<string, unknown>;
  callback_url: string | null;
  enabled: boolean;
  metadata: Record<string, unknown>;
}

export interface WorkflowDocument {
  runloom: typeof DOCUMENT_FORMAT;
  slug: string | null;
  name: string;
  description: string | null;
  definition: PortableDefinition;
  versions: DocumentVersion[];
  schedules: DocumentSchedule[];
  requires: { workflows: string[]; secrets: string[] };
}
