import { NodeFailure, Park, type ConfigProblem, type JsonSchema } from '../node-type.js';
import { compilePayloadSchema } from '../payload-schema.js';
import { defineNodeType } from './define-node-type.js';
import { MAX_WAIT_MS } from './durable-wait.js';

export type SignalNodeConfig = { name: string; schema?: JsonSchema; timeout_ms?: number };

export const SIGNAL_NAME_PATTERN = '^[A-Za-z0-9_.:-]{1,100}$';
export const SIGNAL_TIMEOUT_ERROR = 'signal_timeout';

export const SignalNode = defineNodeType<SignalNodeConfig>({
  type: 'SignalNode',
  description:
    'Waits for a signal sent to the run (POST /v1/runs/{run_id}/signals/{name}, or the single-use ' +
    '`resume_url` a person or another system can call without an API key) and outputs its payload. ' +
    'The run parks while it waits (status `waiting`). Signals sent before the node is reached wait ' +
    'for it, oldest first. Without a signal within `timeout_ms` the node fails with `signal_timeout`, ' +
    'so its `retry` and `on_error` policies apply.',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: {
        type: 'string',
        pattern: SIGNAL_NAME_PATTERN,
        description: 'The signal awaited: letters, digits, _ . : -',
      },
      schema: {
        type: 'object',
        description: 'A JSON Schema the payload must match; a signal that does not is refused with 422.',
      },
      timeout_ms: {
        type: 'integer',
        minimum: 1,
        maximum: MAX_WAIT_MS,
        description: 'Fails the node with `signal_timeout` when no signal came within this long (at most 30 days).',
      },
    },
  },
  catalogConfig: { name: 'approval' },
  example: {
    config: { name: 'approval', schema: { type: 'object', required: ['approved'] }, timeout_ms: 86_400_000 },
    inputs: { value: 'order 42 is packed' },
    outputs: { payload: { approved: true, by: 'ana@example.com' } },
  },
  inputs: () => [{ name: 'value', required: false, description: 'starts the wait once it arrives (for ordering)' }],
  outputs: () => [{ name: 'payload', description: "the signal's payload" }],
  mayPark: () => true,
  checkConfig: schemaProblems,
  async execute(_inputs, ctx) {
    const { name, timeout_ms: timeoutMs } = ctx.config;
    const resumed = ctx.resumedFrom;
    if (resumed?.signal) return { payload: resumed.signal.payload };
    if (resumed?.until && resumed.until.getTime() <= Date.now()) {
      throw new NodeFailure(`no signal "${name}" arrived within ${timeoutMs} ms`, SIGNAL_TIMEOUT_ERROR);
    }
    const until = resumed ? resumed.until : timeoutMs === undefined ? null : new Date(Date.now() + timeoutMs);
    throw new Park({ until, signal: name });
  },
});

function schemaProblems(config: SignalNodeConfig): ConfigProblem[] {
  if (config.schema === undefined) return [];
  const compiled = compilePayloadSchema(config.schema);
  return 'problem' in compiled ? [{ path: 'schema', message: `is not a usable JSON Schema: ${compiled.problem}` }] : [];
}
