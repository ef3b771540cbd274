import { connect, JSON_OPTION, type Command } from '../command.js';
import { UsageError } from '../errors.js';
import { buildInput } from '../input.js';
import { note, print, printJson } from '../output.js';
import { awaitRun, reportRun, type Run } from '../run-result.js';
import { versionId, workflowBySlug } from '../workflows.js';

export const runCommand: Command = {
  name: 'run',
  summary: 'Run a workflow by its slug.',
  args: ['<slug>'],
  help: `Without --sync or --follow the run is queued and its id printed.

Options:
  -i, --input <key=value|@file.json>  Run input; repeat it. A value that parses as JSON is JSON
                                      (n=3, ok=true, tags=["a"]), otherwise a string; @file.json
                                      reads an object of inputs. Later keys win.
  --sync                              Wait for the run and print its output.
  --follow                            Stream the run's node events (one progress line each, on
                                      stderr), then print its output.
  --version <n>                       Run version n instead of the draft.
  --debugger <session>                Also stream the run's events to a debugger session
                                      (runloom tail --session <session>).
  --json                              Print the run object as JSON.

Exits 1 when the run failed or was stopped (with --sync or --follow).

Examples:
  runloom run summarize --input text="Hello world" --sync
  runloom run summarize --input @input.json --follow`,
  options: {
    input: { type: 'string', short: 'i', multiple: true },
    sync: { type: 'boolean' },
    follow: { type: 'boolean' },
    version: { type: 'string' },
    debugger: { type: 'string' },
    ...JSON_OPTION,
  },
  async run({ values, positionals }) {
    if (values.sync && values.follow) throw new UsageError('Choose one of --sync and --follow');
    const version = values.version === undefined ? undefined : Number(values.version);
    if (version !== undefined && !(Number.isInteger(version) && version > 0)) {
      throw new UsageError(`--version must be a version number (1, 2, …), not "${String(values.version)}"`);
    }
    const input = await buildInput((values.input as string[] | undefined) ?? []);
    const api = await connect();
    const workflow = await workflowBySlug(api, positionals[0]);
    const body = {
      input,
      ...(version !== undefined && { workflow_version_id: await versionId(api, workflow, version) }),
      ...(values.debugger !== undefined && { debugger: values.debugger }),
    };
    const json = Boolean(values.json);
    if (values.sync) {
      const run = await api.post<Run>(`/v1/workflows/${workflow.id}/runs/sync`, body);
      return reportRun(await awaitRun(api, run), json);
    }
    const queued = await api.post<Run>(`/v1/workflows/${workflow.id}/runs`, body);
    if (!values.follow) {
      if (json) printJson(queued);
      else print(queued.id);
      return 0;
    }
    note(`Run ${queued.id} of ${workflow.slug ?? workflow.name}`);
    return reportRun(
      await awaitRun(api, queued, {
        totalNodes: version === undefined ? workflow.definition.nodes?.length : undefined,
      }),
      json,
    );
  },
};
