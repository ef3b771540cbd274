import { NodeFailure } from '../node-type.js';
import { checkTemplate, fillTemplate, placeholderInputs } from '../template.js';
import { defineNodeType, templateProperty } from './define-node-type.js';
import { MAX_WAIT_MS, waitUntil } from './durable-wait.js';

export type WaitNodeConfig = { duration_ms: number; until?: never } | { until: string; duration_ms?: never };

export const WaitNode = defineNodeType<WaitNodeConfig>({
  type: 'WaitNode',
  description:
    'Waits for a duration or until an instant, then passes its input through. The run parks while it ' +
    'waits (status `waiting`): it holds no worker, and resumes on time on any instance, also after restarts.',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    description: 'Exactly one of duration_ms and until.',
    properties: {
      duration_ms: {
        type: 'integer',
        minimum: 0,
        maximum: MAX_WAIT_MS,
        description: 'How long to wait, in milliseconds (at most 30 days), from when the node is reached.',
      },
      until: templateProperty(
        'When to stop waiting: a template giving an ISO-8601 instant with its offset, e.g. ' +
          '`2027-01-04T09:00:00Z` or `((deadline))`; an instant past already does not wait.',
        1,
      ),
    },
  },
  catalogConfig: { duration_ms: 60_000 },
  connectorsFromConfig: 'optional input `value`, plus one required input per ((placeholder)) in until',
  inputs(config) {
    const placeholders = placeholderInputs(config.until);
    if (placeholders.some((input) => input.name === 'value')) return placeholders;
    return [{ name: 'value', required: false, description: 'passed through unchanged' }, ...placeholders];
  },
  outputs: () => [{ name: 'value', description: 'the input value, or null' }],
  mayPark: () => true,
  checkConfig(config) {
    if ((config.until === undefined) === (config.duration_ms === undefined)) {
      return [{ path: 'duration_ms', message: 'set exactly one of duration_ms and until' }];
    }
    return config.until === undefined ? [] : checkTemplate(config.until, 'until');
  },
  async execute(inputs, ctx) {
    const { duration_ms: durationMs, until } = ctx.config;
    const instant = until === undefined ? undefined : await fillTemplate(until, inputs, ctx);
    waitUntil(ctx, () => (instant === undefined ? new Date(Date.now() + durationMs!) : parseInstant(instant)));
    return { value: inputs.value ?? null };
  },
});

/** An ISO-8601 date-time with an offset (`Z` or `±hh:mm`); a bare date or local time is ambiguous. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

function parseInstant(text: string): Date {
  const instant = new Date(text);
  if (!INSTANT.test(text.trim()) || Number.isNaN(instant.getTime())) {
    throw new NodeFailure(
      `until gave "${text.slice(0, 100)}", which is not an ISO-8601 instant with an offset (e.g. 2027-01-04T09:00:00Z)`,
      'invalid_wait_time',
    );
  }
  if (instant.getTime() - Date.now() > MAX_WAIT_MS) {
    throw new NodeFailure(`until gave ${text.trim()}, more than 30 days ahead`, 'invalid_wait_time');
  }
  return instant;
}
