import { Api } from '../api.js';
import { connect, type Command } from '../command.js';
import { UsageError } from '../errors.js';
import { print } from '../output.js';
import { describeEvent } from '../progress.js';
import { readServerEvents } from '../sse.js';
import { workflowBySlug } from '../workflows.js';

const RECONNECT_MS = 1000;

export const tailCommand: Command = {
  name: 'tail',
  summary: "Print the live events of a workflow's runs, or of a debugger session, until interrupted.",
  args: ['[slug]'],
  help: `One line per event: time, run id (short), event, node and what happened.

Options:
  --session <id>   Follow the debugger session <id> (runs started with --debugger <id>)
                   instead of a workflow.
  --json           Print each event as one JSON line ({"id", "event", "data"}).

Examples:
  runloom tail summarize
  runloom tail --session my-debug-session --json`,
  options: { session: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const session = values.session as string | undefined;
    if (Boolean(session) === Boolean(positionals[0]))
      throw new UsageError('Give either a workflow slug or --session <id>');
    const api = await connect();
    const path = session
      ? `/v1/debugger/${encodeURIComponent(session)}/events`
      : `/v1/workflows/${(await workflowBySlug(api, positionals[0])).id}/events`;
    await follow(api, path, Boolean(values.json));
    return 0;
  },
};

/** Prints the stream's events; when the server ends it (a restart), reconnects after the last event seen. */
async function follow(api: Api, path: string, json: boolean): Promise<never> {
  let lastId: string | undefined;
  for (;;) {
    const response = await api.stream(path, { headers: lastId ? { 'Last-Event-ID': lastId } : {} });
    for await (const event of readServerEvents(response.body!)) {
      lastId = event.id ?? lastId;
      const line = json ? JSON.stringify(event) : describeEvent(event, { runTag: true });
      if (line) print(line);
    }
    await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
  }
}
