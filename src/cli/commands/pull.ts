import { ApiError } from '../api.js';
import { connect, type Command } from '../command.js';
import { EXIT, UsageError } from '../errors.js';
import { note, print } from '../output.js';
import { writeWorkflowFile, type FileFormat, type WorkflowDocument } from '../workflow-files.js';
import { allWorkflows } from '../workflows.js';

export const pullCommand: Command = {
  name: 'pull',
  summary: 'Write every workflow that has a slug into <dir>, one file each (<slug>.yaml).',
  args: ['<dir>'],
  help: `Each file is the workflow's export document: definition, versions, schedules, the slugs of
the workflows it calls and the names of the secrets it needs (never their values). Files of the
same name are overwritten; workflows without a slug are listed and skipped (give them one with
PATCH /v1/workflows/{id} {"slug": "…"} or in the console).

Options:
  --format <yaml|json>   File format (default yaml).

Exits 1 when a workflow could not be exported (the others are written).`,
  options: { format: { type: 'string', default: 'yaml' } },
  async run({ values, positionals }) {
    const format = values.format as FileFormat;
    if (format !== 'yaml' && format !== 'json') throw new UsageError(`--format must be yaml or json, not "${format}"`);
    const api = await connect();
    const workflows = await allWorkflows(api);
    const named = workflows.filter((candidate) => candidate.slug);
    if (named.length === 0) note('No workflow of the group has a slug: nothing to pull.');
    let exitCode: number = EXIT.ok;
    for (const workflow of named) {
      try {
        const document = await api.get<WorkflowDocument>(`/v1/workflows/${workflow.id}/export`);
        print(`${workflow.slug} -> ${await writeWorkflowFile(positionals[0], workflow.slug!, document, format)}`);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        note(`${workflow.slug}: not exported: ${error.message}`);
        exitCode = EXIT.failed;
      }
    }
    const unnamed = workflows.filter((candidate) => !candidate.slug);
    if (unnamed.length > 0) {
      note(`Skipped ${unnamed.length} workflow${unnamed.length === 1 ? '' : 's'} without a slug:`);
      for (const workflow of unnamed) note(`  ${workflow.id}  ${workflow.name}`);
    }
    return exitCode;
  },
};
