import type { Api } from '../api.js';
import { connect, JSON_OPTION, type Command } from '../command.js';
import { note, print, printJson } from '../output.js';
import { workflowBySlug } from '../workflows.js';

interface Trigger {
  id: string;
  name: string;
  mode: string;
  enabled: boolean;
  verification: { type: string };
  last_delivery_at: string | null;
  url?: string | null;
  secret?: string | null;
}

/** `--id-header` → `id_header`: the verification fields `create` passes through as given. */
const VERIFICATION_OPTIONS = ['header', 'algorithm', 'encoding', 'prefix', 'id-header'] as const;

const listCommand: Command = {
  name: 'triggers list',
  summary: "List a workflow's webhook triggers.",
  args: ['<workflow-slug>'],
  help: `Options:
  --json   Print the page as JSON.`,
  options: JSON_OPTION,
  async run({ values, positionals }) {
    const api = await connect();
    const workflow = await workflowBySlug(api, positionals[0]);
    const page = await api.get<{ items: Trigger[] }>(`/v1/workflows/${workflow.id}/triggers`, { page_size: 100 });
    if (values.json) {
      printJson(page);
      return 0;
    }
    if (page.items.length === 0) print('No triggers.');
    for (const trigger of page.items) {
      const state = trigger.enabled ? 'enabled ' : 'disabled';
      print([trigger.id, state, trigger.verification.type.padEnd(17), trigger.mode.padEnd(5), trigger.name].join('  '));
    }
    return 0;
  },
};

const createCommand: Command = {
  name: 'triggers create',
  summary: 'Create a webhook trigger; prints its URL and secret, shown only this once.',
  args: ['<workflow-slug>'],
  help: `Options:
  --name <name>              Required.
  --type <type>              none, standard_webhooks, github, stripe or hmac (required).
  --mapping <jsonata>        The run input from { body, headers, query } (required).
  --mode <sync|async>        Answer deliveries with the finished run, or 202 (default async).
  --secret <secret>          The sender's signing secret (e.g. Stripe's); generated if omitted.
  --tolerance <seconds>      standard_webhooks and stripe: timestamp tolerance (default 300).
  --header <name>            hmac: the header holding the signature.
  --algorithm <alg>          hmac: sha256, sha512 or sha1.
  --encoding <enc>           hmac: hex or base64.
  --prefix <text>            hmac: text before the signature (e.g. sha256=).
  --id-header <name>         hmac and none: the header naming each delivery (replays refused).
  --callback-url <url>       Each run's callback.
  --disabled                 Create it disabled.
  --json                     Print the answer as JSON.`,
  options: {
    name: { type: 'string' },
    type: { type: 'string' },
    mapping: { type: 'string' },
    mode: { type: 'string' },
    secret: { type: 'string' },
    tolerance: { type: 'string' },
    'callback-url': { type: 'string' },
    disabled: { type: 'boolean' },
    ...Object.fromEntries(VERIFICATION_OPTIONS.map((name) => [name, { type: 'string' } as const])),
    ...JSON_OPTION,
  },
  async run({ values, positionals }) {
    const api = await connect();
    const workflow = await workflowBySlug(api, positionals[0]);
    const verification: Record<string, unknown> = { type: values.type };
    if (values.tolerance !== undefined) verification.tolerance_seconds = Number(values.tolerance);
    for (const name of VERIFICATION_OPTIONS) {
      if (values[name] !== undefined) verification[name.replace('-', '_')] = values[name];
    }
    const trigger = await api.post<Trigger>(`/v1/workflows/${workflow.id}/triggers`, {
      name: values.name,
      input_mapping: values.mapping,
      verification,
      ...(values.mode !== undefined && { mode: values.mode }),
      ...(values.secret !== undefined && { secret: values.secret }),
      ...(values['callback-url'] !== undefined && { callback_url: values['callback-url'] }),
      ...(values.disabled && { enabled: false }),
    });
    printCredentials(api, trigger, Boolean(values.json));
    return 0;
  },
};

const rotateCommand: Command = {
  name: 'triggers rotate',
  summary: "Replace a trigger's URL and/or secret; the old ones stop working at once.",
  args: ['<trigger-id>'],
  help: `Without --token or --secret, both are replaced.

Options:
  --token    A new URL.
  --secret   A new signing secret.
  --json     Print the answer as JSON.`,
  options: { token: { type: 'boolean' }, secret: { type: 'boolean' }, ...JSON_OPTION },
  async run({ values, positionals }) {
    const api = await connect();
    const body = {
      ...(values.token && { token: true }),
      ...(values.secret && { secret: true }),
    };
    printCredentials(api, await api.post<Trigger>(`/v1/triggers/${positionals[0]}/rotate`, body), Boolean(values.json));
    return 0;
  },
};

function enabledCommand(enabled: boolean): Command {
  const verb = enabled ? 'enable' : 'disable';
  return {
    name: `triggers ${verb}`,
    summary: enabled ? 'Enable a trigger again.' : 'Disable a trigger: its URL answers 404 until enabled again.',
    args: ['<trigger-id>'],
    help: `Options:
  --json   Print the trigger as JSON.`,
    options: JSON_OPTION,
    async run({ values, positionals }) {
      const api = await connect();
      const { body } = await api.request<Trigger>('PATCH', `/v1/triggers/${positionals[0]}`, { body: { enabled } });
      if (values.json) printJson(body);
      else print(`Trigger ${body.id} ${enabled ? 'enabled' : 'disabled'}.`);
      return 0;
    },
  };
}

const deleteCommand: Command = {
  name: 'triggers delete',
  summary: 'Delete a trigger; its URL answers 404, the runs it started stay.',
  args: ['<trigger-id>'],
  help: '',
  async run({ positionals }) {
    await (await connect()).request('DELETE', `/v1/triggers/${positionals[0]}`);
    print(`Trigger ${positionals[0]} deleted.`);
    return 0;
  },
};

/** The URL (absolute: the server's own when the API answers a path) and secret, with a warning that they are shown once. */
function printCredentials(api: Api, trigger: Trigger, json: boolean): void {
  const url = trigger.url?.startsWith('/') ? `${api.connection.url.replace(/\/+$/, '')}${trigger.url}` : trigger.url;
  if (json) {
    printJson({ ...trigger, url });
    return;
  }
  print(`id      ${trigger.id}`);
  if (url) print(`url     ${url}`);
  if (trigger.secret) print(`secret  ${trigger.secret}`);
  note('The URL and secret are shown only this once: store them now (runloom triggers rotate makes new ones).');
}

export const triggersCommands: Command[] = [
  listCommand,
  createCommand,
  rotateCommand,
  enabledCommand(false),
  enabledCommand(true),
  deleteCommand,
];
