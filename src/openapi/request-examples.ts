import type { ExamplesObject } from '@nestjs/swagger';

/**
 * The request bodies Swagger UI (/docs) pre-fills. They work in sequence, unedited: create the
 * example workflow, then send every other example against it, filling in only path parameters
 * (test/openapi-examples.e2e-spec.ts does exactly that, and a browser test does it in Swagger UI).
 * Every body is given whole, because a body Swagger UI makes up from a schema fills optional
 * fields with placeholders ("string", a random uuid) that the API rightly refuses.
 */

/**
 * "Beginner answers": two inputs (one with a default), a template, one output. It runs locally
 * and at once, so every run example completes; the README, the tests and the benchmark run it too.
 */
export const EXAMPLE_DEFINITION = {
  nodes: [
    { id: 'question', type: 'InputNode', config: { label: 'User Question', type: 'str' } },
    { id: 'context', type: 'InputNode', config: { label: 'Context', type: 'str', default: '' } },
    { id: 'prompt', type: 'TextTemplateNode', config: { template: '((q)) — ((c))' } },
    { id: 'answer', type: 'OutputNode', config: { label: 'Answer' } },
  ],
  edges: [
    { from: { node_id: 'question', output: 'value' }, to: { node_id: 'prompt', input: 'q' } },
    { from: { node_id: 'context', output: 'value' }, to: { node_id: 'prompt', input: 'c' } },
    { from: { node_id: 'prompt', output: 'text' }, to: { node_id: 'answer', input: 'value' } },
  ],
};

const QUESTION = 'What is a DAG?';
const INPUT = { 'User Question': QUESTION, Context: 'graph theory' };

function only(summary: string, value: object): ExamplesObject {
  return { example: { summary, value } };
}

export const WORKFLOW_EXAMPLES = {
  create: only('The example workflow', {
    name: 'Beginner answers',
    description: 'Answers a question, with optional context.',
    definition: EXAMPLE_DEFINITION,
  }),
  update: only('Change the description', { description: 'Answers a question in the light of its context.' }),
  createVersion: only('Snapshot the draft', {
    name: 'first answers',
    description: 'The question and its context, joined by a dash.',
  }),
  validate: only('The example workflow', { definition: EXAMPLE_DEFINITION }),
  sampleInput: only('Pin an input for test runs', { input: INPUT }),
};

/**
 * Run bodies for the example workflow. An example named after a query parameter of the operation
 * (`output_only`) is meant with that parameter set to true.
 */
export const RUN_EXAMPLES: ExamplesObject = {
  basic: { summary: 'Run the draft', value: { input: INPUT } },
  output_only: {
    summary: 'Just the output (set output_only=true)',
    description: 'With `output_only=true` the answer is the output map: `{"Answer": "What is a DAG? — "}`.',
    value: { input: { 'User Question': QUESTION } },
  },
  node_ids: {
    summary: 'Only some nodes',
    description: 'Runs `prompt` and what feeds it; its outputs are reported under its id.',
    value: { input: INPUT, node_ids: ['prompt'] },
  },
  single_node_id: {
    summary: 'One node alone',
    description: '`input` is keyed by the node’s input connectors (`q`, `c` of the template).',
    value: { input: { q: QUESTION, c: 'graphs' }, single_node_id: 'prompt' },
  },
  metadata: {
    summary: 'With labels of your own',
    description: 'Find it again with `GET /v1/runs?metadata.customer=acme`.',
    value: { input: INPUT, metadata: { customer: 'acme', ticket: 'T-1042' } },
  },
};

export const DERIVED_RUN_EXAMPLES = {
  replay: only('Run it again with another context', { input: { Context: 'set theory' } }),
  retry: only('Retry from the template, with another context', {
    input: { Context: 'set theory' },
    from_node_ids: ['prompt'],
  }),
};

export const RUN_STOP_EXAMPLES = only('Stop the live runs labelled customer=acme', {
  status: ['queued', 'running', 'waiting'],
  metadata: { customer: 'acme' },
});

export const SCHEDULE_EXAMPLES = {
  create: only('Weekdays at 7:00 in Paris', {
    cron: '0 7 * * 1-5',
    timezone: 'Europe/Paris',
    input: INPUT,
    metadata: { customer: 'acme' },
  }),
  update: only('Pause it', { enabled: false }),
};

export const TRIGGER_EXAMPLES = {
  create: {
    github: {
      summary: 'GitHub pushes, queued',
      description:
        'Give GitHub the answer’s `url` as Payload URL and its `secret` as Secret (content type application/json).',
      value: {
        name: 'GitHub pushes',
        mode: 'async',
        input_mapping: '{ "User Question": body.head_commit.message, "Context": body.repository.full_name }',
        verification: { type: 'github' },
      },
    },
    standard_webhooks: {
      summary: 'A Standard Webhooks sender, answered with the finished run',
      value: {
        name: 'Form answers',
        mode: 'sync',
        input_mapping: '{ "User Question": body.answer, "Context": query.form }',
        verification: { type: 'standard_webhooks', tolerance_seconds: 300 },
      },
    },
    hmac: {
      summary: 'An HMAC-SHA256 in a header of your choice',
      value: {
        name: 'Shop orders',
        input_mapping: '{ "User Question": body.note, "Context": headers."x-shop-domain" }',
        verification: {
          type: 'hmac',
          header: 'X-Shop-Hmac-Sha256',
          algorithm: 'sha256',
          encoding: 'base64',
          id_header: 'X-Shop-Webhook-Id',
        },
      },
    },
  },
  update: only('Disable it', { enabled: false }),
  rotate: only('A new secret, same URL', { secret: true }),
};

export const SECRET_EXAMPLES = only('A token for ((secrets.API_TOKEN))', { value: 'sk-live-0123456789' });
