import { describe, expect, it } from '@jest/globals';
import { NodeFailure } from '../node-type.js';
import { defineNodeType } from '../nodes/define-node-type.js';
import { NodeRegistry } from '../nodes/index.js';
import { OutputNode } from '../nodes/output-node.js';
import { retryDelayMs, RETRY_DEFAULTS, type NodeAttempt, type NodePolicyKeys } from './node-policy.js';
import { recordingHooks, runWorkflow, statuses } from './testing/run-workflow.js';
import { workflow } from './testing/step-node.js';

/** Fails with the scripted error types, one per call, then succeeds; `hang` never settles on its own. */
function flaky(script: string[], options: { hang?: boolean } = {}) {
  const calls: { attempt: number | undefined; at: number }[] = [];
  const nodeType = defineNodeType<Record<string, unknown>>({
    type: 'Flaky',
    description: 'test',
    configSchema: { type: 'object' },
    catalogConfig: {},
    inputs: () => [],
    outputs: () => [{ name: 'out' }, { name: 'extra' }],
    async execute(_inputs, ctx) {
      calls.push({ attempt: ctx.attempt, at: Date.now() });
      const type = script[calls.length - 1];
      if (options.hang) {
        await new Promise((_resolve, reject) =>
          ctx.signal.addEventListener('abort', () => reject(new Error('aborted'))),
        );
      }
      if (type !== undefined) throw new NodeFailure(`failure ${calls.length}`, type);
      return { out: `ok after ${calls.length}` };
    },
  });
  const registry = new NodeRegistry().register(nodeType).register(OutputNode);
  return { calls, registry };
}

const single = (policy: NodePolicyKeys) =>
  workflow({ f: { type: 'Flaky', config: {}, ...policy }, o: { type: 'OutputNode', config: { label: 'o' } } }, [
    'f.out -> o.value',
  ]);

const fastRetry = (extra: Record<string, unknown> = {}) => ({
  retry: { max_attempts: 3, initial_interval_ms: 20, backoff_coefficient: 2, max_interval_ms: 1000, ...extra },
});

describe('node policies', () => {
  it('retries with backoff until an attempt succeeds, telling the hooks about each retry', async () => {
    const { calls, registry } = flaky(['http_error', 'http_error']);
    const retries: { failed: NodeAttempt; delayMs: number }[] = [];
    let finalAttempts: NodeAttempt[] | undefined;
    const hooks = {
      ...recordingHooks(),
      onNodeRetrying: (_id: string, failed: NodeAttempt, delayMs: number) => void retries.push({ failed, delayMs }),
      onNodeCompleted: (id: string, _o: unknown, _d: number, attempts?: NodeAttempt[]) => {
        if (id === 'f') finalAttempts = attempts;
      },
    };
    const result = await runWorkflow(single(fastRetry()), registry, { hooks });
    expect(result.status).toBe('completed');
    expect(result.output).toEqual({ o: 'ok after 3' });
    expect(calls.map((call) => call.attempt)).toEqual([1, 2, 3]);
    expect(retries.map((retry) => [retry.failed.attempt, retry.delayMs, retry.failed.error?.type])).toEqual([
      [1, 20, 'http_error'],
      [2, 40, 'http_error'],
    ]);
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(19);
    expect(calls[2].at - calls[1].at).toBeGreaterThanOrEqual(39);
    expect(finalAttempts!.map((attempt) => [attempt.attempt, attempt.error?.message ?? null])).toEqual([
      [1, 'failure 1'],
      [2, 'failure 2'],
      [3, null],
    ]);
  });

  it('fails with the last error once max_attempts is used up', async () => {
    const { calls, registry } = flaky(['a', 'b', 'c', 'd']);
    const result = await runWorkflow(single(fastRetry()), registry);
    expect(calls).toHaveLength(3);
    expect(result.error).toEqual({ node_id: 'f', message: 'failure 3', type: 'c' });
  });

  it('does not retry non_retryable types, nor types outside retry_on', async () => {
    const blocked = flaky(['bad_request', 'x']);
    const first = await runWorkflow(single(fastRetry({ non_retryable: ['bad_request'] })), blocked.registry);
    expect(blocked.calls).toHaveLength(1);
    expect(first.error?.type).toBe('bad_request');

    const listed = flaky(['rate_limited', 'other', 'x']);
    const second = await runWorkflow(single(fastRetry({ retry_on: ['rate_limited'] })), listed.registry);
    expect(listed.calls).toHaveLength(2);
    expect(second.error?.type).toBe('other');
  });

  it('fails an attempt that outlives timeout_ms with node_timeout, aborting its signal, and retries it', async () => {
    const { calls, registry } = flaky([], { hang: true });
    const result = await runWorkflow(single({ timeout_ms: 30, ...fastRetry({ max_attempts: 2 }) }), registry);
    expect(calls).toHaveLength(2);
    expect(result.error).toEqual({
      node_id: 'f',
      message: 'node "f" did not finish within 30 ms',
      type: 'node_timeout',
    });
  });

  it('on_error continue: emits {type, message} on the error output only, so downstream can branch', async () => {
    const { registry } = flaky(['boom']);
    const definition = workflow(
      {
        f: { type: 'Flaky', config: {}, on_error: 'continue' },
        ok: { type: 'OutputNode', config: { label: 'ok' } },
        handled: { type: 'OutputNode', config: { label: 'handled' } },
      },
      ['f.out -> ok.value', 'f.error -> handled.value'],
    );
    const result = await runWorkflow(definition, registry);
    expect(result.status).toBe('completed');
    expect(result.output).toEqual({ handled: { type: 'boom', message: 'failure 1' } });
    expect(statuses(result)).toEqual({ f: 'completed', ok: 'skipped', handled: 'completed' });
  });

  it('on_error default: emits default_outputs instead of failing', async () => {
    const { registry } = flaky(['boom', 'boom']);
    const definition = single({
      on_error: 'default',
      default_outputs: { out: 'fallback' },
      ...fastRetry({ max_attempts: 2 }),
    });
    const result = await runWorkflow(definition, registry);
    expect(result.output).toEqual({ o: 'fallback' });
  });

  it('goes on counting from the attempts an earlier run attempt recorded, waiting only what is left', async () => {
    const { calls, registry } = flaky(['x']);
    const failedAt = new Date(Date.now() - 15).toISOString();
    const prior: NodeAttempt[] = [
      { attempt: 1, started_at: failedAt, finished_at: failedAt, duration_ms: 0, error: { type: 'x', message: 'm' } },
    ];
    const started = Date.now();
    const result = await runWorkflow(single(fastRetry({ initial_interval_ms: 200, max_attempts: 3 })), registry, {
      options: { priorAttempts: new Map([['f', prior]]) },
    });
    // attempt 2 (the first here) fails, attempt 3 succeeds: one more call each, never a fresh count.
    expect(calls.map((call) => call.attempt)).toEqual([2, 3]);
    expect(result.status).toBe('completed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(180 + 400 - 10);
  });

  it('stops waiting for the next attempt when the run is stopped', async () => {
    const { calls, registry } = flaky(['x', 'x']);
    const controller = new AbortController();
    const hooks = { onNodeRetrying: () => void setTimeout(() => controller.abort(), 10) };
    const started = Date.now();
    const result = await runWorkflow(
      single(fastRetry({ initial_interval_ms: 60_000, max_interval_ms: 60_000 })),
      registry,
      {
        hooks,
        options: { signal: controller.signal },
      },
    );
    expect(result.status).toBe('stopped');
    expect(calls).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('caps the delay at max_interval_ms', () => {
    const retry = { ...RETRY_DEFAULTS, initial_interval_ms: 1000, backoff_coefficient: 3, max_interval_ms: 5000 };
    expect([1, 2, 3, 4].map((n) => retryDelayMs(retry, n))).toEqual([1000, 3000, 5000, 5000]);
  });
});
