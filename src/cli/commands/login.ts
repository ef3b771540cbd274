import { Api, type Connection } from '../api.js';
import type { Command } from '../command.js';
import { configPath, environmentKey, removeConfig, writeConfig } from '../config.js';
import { CliError, UsageError } from '../errors.js';
import { note, print } from '../output.js';

interface CurrentKey {
  key_id: string;
  role: string;
  default_group_id: string;
  groups: Array<{ id: string; name: string }>;
}

export const loginCommand: Command = {
  name: 'login',
  summary: 'Check an API key against a Runloom server and store both for the other commands.',
  args: ['<url>'],
  help: `The key comes from --key, else RUNLOOM_API_KEY, else a prompt that does not echo it (or
standard input when it is not a terminal). It is checked with GET /v1/me, then stored in
$XDG_CONFIG_HOME/runloom/config.json (~/.config/runloom/config.json), readable by you only.

Options:
  --key <key>   The API key (rl_…).

Examples:
  runloom login http://localhost:3000
  echo "$RUNLOOM_KEY" | runloom login https://runloom.example.com`,
  options: { key: { type: 'string' } },
  async run({ values, positionals }) {
    const url = checkUrl(positionals[0]);
    const key = (values.key as string | undefined) || environmentKey() || (await askForKey());
    if (!key) throw new UsageError('No API key given');
    const connection: Connection = { url, key };
    const me = await new Api(connection).get<CurrentKey>('/v1/me');
    await writeConfig(connection);
    const group = me.groups.find((candidate) => candidate.id === me.default_group_id);
    print(`Logged in to ${url} (${me.role} key, group ${group?.name ?? me.default_group_id}).`);
    note(`Saved in ${configPath()}`);
    return 0;
  },
};

export const logoutCommand: Command = {
  name: 'logout',
  summary: 'Forget the stored server and API key.',
  help: '',
  async run() {
    print((await removeConfig()) ? `Removed ${configPath()}.` : 'Not logged in.');
    return 0;
  },
};

function checkUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`Not a URL: ${text} (for example http://localhost:3000)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`Not an http(s) URL: ${text}`);
  return url.href.replace(/\/+$/, '');
}

async function askForKey(): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = '';
    for await (const chunk of process.stdin) text += String(chunk);
    return text.trim();
  }
  return promptHidden('API key: ');
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          finish();
          return resolve(value.trim());
        }
        if (char === '\u0003' || char === '\u0004') {
          finish();
          return reject(new CliError('Cancelled'));
        }
        value = char === '\u007f' || char === '\b' ? value.slice(0, -1) : value + char;
      }
    };
    stdin.on('data', onData);
  });
}
