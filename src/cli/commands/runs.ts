import { connect, JSON_OPTION, type Command } from '../command.js';
import { UsageError } from '../errors.js';
import { buildInput } from '../input.js';
import { formatValue, print, printJson } from '../output.js';
import { awaitRun, reportRun, type Run } from '../run-result.js';
import { workflowBySlug } from '../workflows.js';

/** `--created-after` → `created_after`: the GET /v1/runs filters, one option each. */
const FILTERS = [
  'created-after',
  'created-before',
  'finished-after',
  'finished-before',
  'schedule-id',
  'trigger-id',
  'parent-run-id',
  'root-run-id',
  'retry-of',
  'workflow-id',
] as const;

const listCommand: Command = {
  name: 'runs list',
  summary: 'Search runs, newest first (GET /v1/runs).',
  help: `Options:
  --workflow <slug>          Runs of this workflow.
  --workflow-id <uuid>       Runs of this workflow, by id.
  --status <status>          queued, running, waiting, completed, failed or stopped; repeat it
                             or separate with commas.
  --created-after <time>     ISO 8601 date or date-time with a zone (2026-12-03T14:00:00Z).
  --created-before <time>
  --finished-after <time>
  --finished-before <time>
  --schedule-id <uuid>       Runs a schedule started.
  --trigger-id <uuid>        Runs a webhook trigger started.
  --parent-run-id <uuid>     Child runs of this run.
  --root-run-id <uuid>       Every descendant of this root run.
  --retry-of <uuid>          Retries of this run.
  --metadata <key=value>     Runs labelled so; repeat it.
  --limit <n>                Runs per page (default 50, at most 200).
  --cursor <cursor>          The next page (printed after a full page).
  --json                     Print the answer as JSON.`,
  options: {
    workflow: { type: 'string' },
    status: { type: 'string', multiple: true },
    metadata: { type: 'string', multiple: true },
    limit: { type: 'string' },
    cursor: { type: 'string' },
    ...Object.fromEntries(FILTERS.map((name) => [name, { type: 'string' } as const])),
    ...JSON_OPTION,
  },
  async run({ values }) {
    const api = await connect();
    const query: Record<string, string | string[] | undefined> = {
      status: values.status as string[] | undefined,
      limit: values.limit as string | undefined,
      cursor: values.cursor as string | undefined,
    };
    for (const name of FILTERS) query[name.replaceAll('-', '_')] = values[name] as string | undefined;
    for (const pair of (values.metadata as string[] | undefined) ?? []) {
      const equals = pair.indexOf('=');
      if (equals <= 0) throw new UsageError(`--metadata ${pair}: expected key=value`);
      query[`metadata.${pair.slice(0, equals)}`] = pair.slice(equals + 1);
    }
    if (values.workflow) query.workflow_id = (await workflowBySlug(api, values.workflow as string)).id;
    const page = await api.get<{ items: Run[]; next_cursor: string | null }>('/v1/runs', query);
    if (values.json) {
      printJson(page);
      return 0;
    }
    if (page.items.length === 0) print('No runs.');
    for (const run of page.items) {
      print([run.id, run.status.padEnd(9), run.created_at, run.error?.message ?? ''].join('  ').trimEnd());
    }
    if (page.next_cursor) print(`More: runloom runs list … --cursor ${page.next_cursor}`);
    return 0;
  },
};

const getCommand: Command = {
  name: 'runs get',
  summary: 'Show a run.',
  args: ['<run-id>'],
  help: `Options:
  --json   Print the run object as JSON.`,
  options: JSON_OPTION,
  async run({ values, positionals }) {
    const run = await (await connect()).get<Run>(`/v1/runs/${positionals[0]}`);
    if (values.json) printJson(run);
    else printRunDetails(run);
    return 0;
  },
};

function printRunDetails(run: Run): void {
  const lines: Array<[string, unknown]> = [
    ['id', run.id],
    ['status', run.status],
    ['workflow', run.workflow_id],
    ['version', run.workflow_version_id ?? 'draft'],
    ['created', run.created_at],
    ['started', run.started_at],
    ['finished', run.finished_at],
    ['retry of', run.retry_of],
    ['replay of', run.replay_of],
  ];
  for (const [label, value] of lines)
    if (value !== null && value !== undefined) print(`${label.padEnd(9)} ${String(value)}`);
  print(`input     ${formatValue(run.input)}`);
  if (run.output) print(`output    ${formatValue(run.output)}`);
  if (run.error) print(`error     ${run.error.node_id ? `${run.error.node_id}: ` : ''}${run.error.message}`);
}

const stopCommand: Command = {
  name: 'runs stop',
  summary: 'Stop a run (its in-flight nodes are aborted).',
  args: ['<run-id>'],
  help: `Exits 1 when the run had already finished.

Options:
  --json   Print the run object as JSON.`,
  options: JSON_OPTION,
  async run({ values, positionals }) {
    const { status, body } = await (await connect()).request<Run>('POST', `/v1/runs/${positionals[0]}/stop`);
    if (values.json) printJson(body);
    else print(status === 202 ? `Asked run ${body.id} to stop; it has not confirmed yet.` : `Run ${body.id} stopped.`);
    return 0;
  },
};

/** retry and replay: a new run made from an old one, queued, waited for or followed like `run`. */
function derivedRunCommand(kind: 'retry' | 'replay', summary: string): Command {
  return {
    name: `runs ${kind}`,
    summary,
    args: ['<run-id>'],
    help: `Options:
  --draft                             Run the workflow's current draft instead of the definition
                                      the run executed.
  -i, --input <key=value|@file.json>  Input values to change (merged over the run's input).${
    kind === 'retry'
      ? `
  --from <node-id>                    Execute this node again and what follows it; repeat it.`
      : ''
  }
  --sync                              Wait for the new run and print its output.
  --follow                            Stream its node events, then print its output.
  --json                              Print the new run as JSON.

Exits 1 when the new run failed or was stopped (with --sync or --follow).`,
    options: {
      draft: { type: 'boolean' },
      input: { type: 'string', short: 'i', multiple: true },
      ...(kind === 'retry' && { from: { type: 'string', multiple: true } }),
      sync: { type: 'boolean' },
      follow: { type: 'boolean' },
      ...JSON_OPTION,
    },
    async run({ values, positionals }) {
      if (values.sync && values.follow) throw new UsageError('Choose one of --sync and --follow');
      const inputs = (values.input as string[] | undefined) ?? [];
      const body = {
        ...(values.draft && { definition: 'current_draft' }),
        ...(inputs.length > 0 && { input: await buildInput(inputs) }),
        ...(values.from !== undefined && { from_node_ids: values.from }),
      };
      const api = await connect();
      const run = await api.post<Run>(`/v1/runs/${positionals[0]}/${kind}`, body);
      const json = Boolean(values.json);
      if (values.sync || values.follow)
        return reportRun(await awaitRun(api, run, values.follow ? {} : undefined), json);
      if (json) printJson(run);
      else print(run.id);
      return 0;
    },
  };
}

export const runsCommands: Command[] = [
  listCommand,
  getCommand,
  stopCommand,
  derivedRunCommand('retry', 'Retry a failed or stopped run from where it failed (completed nodes are reused).'),
  derivedRunCommand('replay', 'Run a run again: same input, every node executed anew.'),
];
