import { Api, ApiError } from '../api.js';
import { connect, type Command } from '../command.js';
import { CliError, EXIT } from '../errors.js';
import {
  changesOwnFields,
  documentDiff,
  errorsByFile,
  hasChanges,
  renderPlan,
  type ImportResult,
} from '../import-plan.js';
import { print } from '../output.js';
import { readWorkflowFiles, type WorkflowDocument, type WorkflowFile } from '../workflow-files.js';

export const pushCommand: Command = {
  name: 'push',
  summary: "Deploy a directory's workflow files, matched by slug: created, updated, or left alone.",
  args: ['<dir>'],
  help: `Reads every .json, .yaml and .yml file of <dir> (one workflow document each, as runloom pull
writes them), asks the server what importing them would change, prints it (a line diff of each
changed definition, the versions and schedules created or deleted), then imports them all in one
transaction. Nothing changes when any file is refused.

Options:
  --dry-run     Print what would change and stop.
  --exit-code   With --dry-run: exit 3 when something would change (for CI).

Exit codes: 0 done (or nothing to do), 1 refused or unreadable file, 2 usage, 3 see --exit-code.`,
  options: { 'dry-run': { type: 'boolean' }, 'exit-code': { type: 'boolean' } },
  async run({ values, positionals }) {
    const files = await readWorkflowFiles(positionals[0]);
    const api = await connect();
    const plan = await importFiles(api, files, true);
    const diffs = await definitionDiffs(api, plan, files);
    for (const line of renderPlan(plan, files, diffs)) print(line);
    if (values['dry-run']) return values['exit-code'] && hasChanges(plan) ? EXIT.changes : EXIT.ok;
    if (!hasChanges(plan)) return EXIT.ok;
    const done = await importFiles(api, files, false);
    print(renderPlan(done, files, new Map()).at(-1));
    return EXIT.ok;
  },
};

async function importFiles(api: Api, files: WorkflowFile[], dryRun: boolean): Promise<ImportResult> {
  try {
    return await api.post<ImportResult>(
      '/v1/workflows/import',
      { workflows: files.map((file) => file.document) },
      { dry_run: dryRun },
    );
  } catch (error) {
    if (!(error instanceof ApiError) || error.fieldErrors.length === 0) throw error;
    const title = typeof error.problem.title === 'string' ? error.problem.title : 'Refused';
    throw new CliError(
      [`The server refused the import: ${title} (${error.status})`, ...errorsByFile(error.fieldErrors, files)].join(
        '\n',
      ),
    );
  }
}

/** The line diff of every workflow whose own fields change: its current export against its file. */
async function definitionDiffs(api: Api, plan: ImportResult, files: WorkflowFile[]): Promise<Map<string, string>> {
  const diffs = new Map<string, string>();
  for (const workflow of plan.workflows) {
    const file = files.find((candidate) => candidate.document.slug === workflow.slug);
    if (!file || !workflow.workflow_id || !changesOwnFields(workflow)) continue;
    const current = await api.get<WorkflowDocument>(`/v1/workflows/${workflow.workflow_id}/export`);
    diffs.set(workflow.slug, await documentDiff(current, file.document, file.name));
  }
  return diffs;
}
