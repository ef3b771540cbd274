/** The document's security scheme: an `X-API-Key` header (declared in api-document.ts). */
export const API_KEY_SCHEME = 'api-key';

/** The document's tags, in the order a reader meets them (Swagger UI lists them in this order). */
export const API_TAGS = {
  workflows: {
    name: 'workflows',
    description: 'Store workflows (DAGs of typed nodes), edit them, and snapshot numbered versions.',
  },
  runs: { name: 'runs', description: 'Run a workflow (sync or queued), read runs and node runs, stop a run.' },
  events: {
    name: 'events',
    description: 'Server-Sent Events: a run as it happens, or every run of a debugger session.',
  },
  callbacks: {
    name: 'callbacks',
    description:
      'Signed callbacks (Standard Webhooks) sent when a run with a `callback_url` finishes: the attempts, redelivery and the signing secret.',
  },
  schedules: {
    name: 'schedules',
    description: 'Start runs of a workflow on a cron schedule, in a time zone.',
  },
  triggers: {
    name: 'triggers',
    description:
      'Webhook triggers: a URL a third party (a payment provider, a code host, a form service) posts to, verified by its own signature, that starts a run.',
  },
  secrets: {
    name: 'secrets',
    description: 'Group secrets for node configs (`((secrets.NAME))`): encrypted at rest, never shown again.',
  },
  keysAndGroups: {
    name: 'keys and groups',
    description: 'Admin: workspaces (groups) and the API keys that act in them.',
  },
  audit: {
    name: 'audit',
    description: 'The audit log: one event per change (who, when, what, before and after), never a secret.',
  },
  operations: { name: 'operations', description: 'Liveness and readiness probes; no API key needed.' },
} as const;
