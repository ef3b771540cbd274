import { setTimeout as sleep } from 'node:timers/promises';
import { defineNodeType } from './define-node-type.js';
import { waitUntil } from './durable-wait.js';

export const MAX_DELAY_MS = 600_000;
/**
 * A delay longer than this parks the run (a durable wait) instead of sleeping in the process: a
 * park and its wake-up cost a few statements and up to a second of lateness, which a minute's
 * wait in a held slot is not worth.
 */
export const PARK_DELAYS_OVER_MS = 60_000;

export type DelayNodeConfig = { ms: number };

export const DelayNode = defineNodeType<DelayNodeConfig>({
  type: 'DelayNode',
  description:
    'Waits, then passes its input through (null when not connected). Stopping the run ends the wait at once. ' +
    `A delay longer than ${PARK_DELAYS_OVER_MS / 1000} s parks the run (status \`waiting\`, like WaitNode): ` +
    'it holds no worker meanwhile; shorter ones wait in the process.',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['ms'],
    properties: {
      ms: { type: 'integer', minimum: 0, maximum: MAX_DELAY_MS, description: 'How long to wait, in milliseconds.' },
    },
  },
  catalogConfig: { ms: 0 },
  inputs: () => [{ name: 'value', required: false, description: 'passed through unchanged' }],
  outputs: () => [{ name: 'value', description: 'the input value, or null' }],
  mayPark: (config) => config.ms > PARK_DELAYS_OVER_MS,
  async execute(inputs, ctx) {
    if (ctx.config.ms > PARK_DELAYS_OVER_MS) {
      waitUntil(ctx, () => new Date(Date.now() + ctx.config.ms));
      return { value: inputs.value ?? null };
    }
    // Rejects with an AbortError and clears the timer as soon as ctx.signal aborts.
    await sleep(ctx.config.ms, undefined, { signal: ctx.signal });
    return { value: inputs.value ?? null };
  },
});
