/**
 * The export/import document of a workflow (`GET /v1/workflows/{id}/export`,
 * `POST /v1/workflows/import`): a workflow by its slug, with its versions and schedules, and the
 * names of what it needs from the group it is imported into.
 */
export interface WorkflowDocument {
  runloom: 'workflow/v1';
  slug: string | null;
  name: string;
  description: string | null;
  definition: Record<string, unknown>;
  versions: { number: number; description: string | null; definition: Record<string, unknown> }[];
  schedules: {
    cron: string;
    timezone: string;
    /** The version number it runs, or null for the draft. */
    version: number | null;
    input: Record<string, unknown>;
    callback_url: string | null;
    enabled: boolean;
    metadata: Record<string, string>;
  }[];
  requires: { workflows: string[]; secrets: string[] };
}

/** Several documents imported together, in one transaction, references between them allowed. */
export interface WorkflowBundle {
  workflows: WorkflowDocument[];
}

export interface ImportChange {
  target: 'workflow' | 'version' | 'schedule';
  change: string;
  field?: string;
  number?: number;
  cron?: string;
}

export interface ImportResult {
  dry_run: boolean;
  workflows: {
    slug: string;
    /** Null for a workflow a dry run would create. */
    workflow_id: string | null;
    action: 'created' | 'updated' | 'unchanged';
    changes: ImportChange[];
  }[];
}
