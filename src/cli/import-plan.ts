import type { ProblemField } from './api.js';
import { color } from './output.js';
import { serializeDocument, type WorkflowDocument, type WorkflowFile } from './workflow-files.js';

/** One line of `POST /v1/workflows/import`'s answer for one workflow. */
export interface ImportChange {
  target: 'workflow' | 'version' | 'schedule';
  field?: string;
  number?: number;
  cron?: string;
  change: string;
}

export interface ImportedWorkflow {
  slug: string;
  workflow_id: string | null;
  action: 'created' | 'updated' | 'unchanged';
  changes: ImportChange[];
}

export interface ImportResult {
  dry_run: boolean;
  workflows: ImportedWorkflow[];
}

/** The parts of a document whose edits show as a line diff; versions and schedules are listed as changes. */
const DIFFED_KEYS = ['name', 'description', 'definition'];

export function hasChanges(result: ImportResult): boolean {
  return result.workflows.some((workflow) => workflow.action !== 'unchanged');
}

/** Whether the workflow's own fields change (so a line diff is worth fetching). */
export function changesOwnFields(workflow: ImportedWorkflow): boolean {
  return workflow.action === 'updated' && workflow.changes.some((change) => change.target === 'workflow');
}

/** A unified diff of the server's document against the file's, over name, description and definition. */
export async function documentDiff(
  current: WorkflowDocument,
  desired: WorkflowDocument,
  fileName: string,
): Promise<string> {
  const { createTwoFilesPatch } = await import('diff');
  const patch = createTwoFilesPatch(
    `${String(current.slug)} (server)`,
    fileName,
    await serializeDocument(pick(current), 'yaml'),
    await serializeDocument(pick(desired), 'yaml'),
    undefined,
    undefined,
    { context: 3 },
  );
  return patch
    .split('\n')
    .filter(
      (line) => !line.startsWith('=====') && !line.startsWith('Index:') && line !== '\\ No newline at end of file',
    )
    .map((line) => (line.startsWith('+') && !line.startsWith('+++') ? color('green', line) : line))
    .map((line) => (line.startsWith('-') && !line.startsWith('---') ? color('red', line) : line))
    .join('\n')
    .trimEnd();
}

function pick(document: WorkflowDocument): Record<string, unknown> {
  return Object.fromEntries(DIFFED_KEYS.filter((key) => key in document).map((key) => [key, document[key]]));
}

export function describeChange(change: ImportChange): string {
  switch (change.target) {
    case 'version':
      return `version ${change.number}: ${change.change}`;
    case 'schedule':
      return `schedule "${change.cron}": ${change.change}`;
    default:
      return `${change.field ?? 'workflow'}: ${change.change}`;
  }
}

/**
 * What an import does (or would do), per workflow: its action and file, each change, and the
 * line diff of its own fields where one was fetched (`diffs` by slug).
 */
export function renderPlan(result: ImportResult, files: WorkflowFile[], diffs: Map<string, string>): string[] {
  const fileOf = new Map(files.map((file) => [file.document.slug, file.name]));
  const lines: string[] = [];
  for (const workflow of result.workflows) {
    const file = fileOf.get(workflow.slug);
    lines.push(`${workflow.slug}${file ? ` (${file})` : ''}: ${workflow.action}`);
    if (workflow.action === 'unchanged') continue;
    for (const change of workflow.changes) lines.push(`  ${describeChange(change)}`);
    const diff = diffs.get(workflow.slug);
    if (diff) lines.push(...diff.split('\n').map((line) => `    ${line}`));
  }
  const counts = ['created', 'updated', 'unchanged'].map(
    (action) => `${result.workflows.filter((workflow) => workflow.action === action).length} ${action}`,
  );
  lines.push(`${result.dry_run ? 'Would be' : 'Done'}: ${counts.join(', ')}.`);
  return lines;
}

/**
 * A bundle's refusal, each error under the file it is about: a field `workflows[2].definition…`
 * (or `workflows.2.…`) belongs to the third file sent.
 */
export function errorsByFile(errors: ProblemField[], files: WorkflowFile[]): string[] {
  return errors.map((error) => {
    const match = /^workflows(?:\[(\d+)\]|\.(\d+))\.?/.exec(error.field ?? '');
    const file = match ? files[Number(match[1] ?? match[2])] : undefined;
    if (!match || !file) return `  - ${error.field ? `${error.field}: ` : ''}${error.message}`;
    const rest = error.field.slice(match[0].length);
    return `  - ${file.name}: ${rest ? `${rest}: ` : ''}${error.message}`;
  });
}
