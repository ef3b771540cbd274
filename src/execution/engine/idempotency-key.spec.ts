import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { NodeFailure } from '../node-type.js';
import { defineNodeType } from '../nodes/define-node-type.js';
import { NodeRegistry } from '../nodes/index.js';
import { nodeIdempotencyKey } from './idempotency-key.js';
import type { NodeAttempt } from './node-policy.js';
import type { RunOptions } from './dag-runner.js';
import { runWorkflow } from './testing/run-workflow.js';
import { workflow } from './testing/step-node.js';

/** Records the key each execution was given; `fail_first` attempts fail before one succeeds. */
function keyProbe() {
  const seen: { nodeId: string; attempt: number | undefined; key: string }[] = [];
  const nodeType = defineNodeType<{ fail_first?: number }>({
    type: 'KeyProbe',
    description: 'test',
    configSchema: { type: 'object' },
    catalogConfig: {},
    inputs: () => [],
    outputs: () => [{ name: 'out' }],
    async execute(_inputs, ctx) {
      seen.push({ nodeId: ctx.nodeId, attempt: ctx.attempt, key: ctx.idempotencyKey });
      if ((ctx.attempt ?? 1) <= (ctx.config.fail_first ?? 0)) throw new NodeFailure('down', 'http_status');
      return { out: ctx.idempotencyKey };
    },
  });
  return { seen, registry: new NodeRegistry().register(nodeType) };
}

const retry = { max_attempts: 3, initial_interval_ms: 0 };
const twoCalls = workflow({
  a: { type: 'KeyProbe', config: { fail_first: 2 }, retry },
  b: { type: 'KeyProbe', config: {} },
});

async function keysOf(options: Partial<RunOptions>) {
  const { seen, registry } = keyProbe();
  const result = await runWorkflow(twoCalls, registry, { options });
  expect(result.status).toBe('completed');
  return seen;
}

describe("a node's idempotency key", () => {
  it('is the SHA-256 hex of "<call path>:<node id>", the call path defaulting to the run id', async () => {
    const seen = await keysOf({ runId: 'run-7' });
    const expected = createHash('sha256').update('run-7:b').digest('hex');
    expect(seen.find((call) => call.nodeId === 'b')!.key).toBe(expected);
    expect(nodeIdempotencyKey('run-7', 'b')).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it("stays the same across the node's retries and differs between nodes", async () => {
    const seen = await keysOf({ runId: 'run-7' });
    const ofA = seen.filter((call) => call.nodeId === 'a');
    expect(ofA.map((call) => call.attempt)).toEqual([1, 2, 3]);
    expect(new Set(ofA.map((call) => call.key)).size).toBe(1);
    expect(seen.find((call) => call.nodeId === 'b')!.key).not.toBe(ofA[0].key);
  });

  it('follows the call path: the same for another run of one call path, different for another path', async () => {
    const original = await keysOf({ runId: 'run-7', callPath: 'run-1' });
    const retried = await keysOf({ runId: 'run-8', callPath: 'run-1' });
    const other = await keysOf({ runId: 'run-7', callPath: 'run-2' });
    const keyOf = (seen: typeof original, nodeId: string) => seen.find((call) => call.nodeId === nodeId)!.key;
    expect(keyOf(original, 'a')).toBe(nodeIdempotencyKey('run-1', 'a'));
    expect(keyOf(retried, 'a')).toBe(keyOf(original, 'a'));
    expect(keyOf(other, 'a')).not.toBe(keyOf(original, 'a'));
  });

  it('is the same in a resumed attempt of the run, which goes on from the attempts already made', async () => {
    const first = await keysOf({ runId: 'run-7' });
    const failed = { started_at: '', finished_at: '', duration_ms: 1, error: { type: 'http_status', message: 'down' } };
    const prior: NodeAttempt[] = [
      { attempt: 1, ...failed },
      { attempt: 2, ...failed },
    ];
    const resumed = await keysOf({ runId: 'run-7', priorAttempts: new Map([['a', prior]]) });
    const resumedA = resumed.find((call) => call.nodeId === 'a')!;
    expect(resumedA.attempt).toBe(3);
    expect(resumedA.key).toBe(first.find((call) => call.nodeId === 'a')!.key);
  });
});
