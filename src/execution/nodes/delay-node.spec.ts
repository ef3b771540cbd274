import { describe, expect, it } from '@jest/globals';
import { Park } from '../node-type.js';
import { DelayNode } from './delay-node.js';
import { executed, testNodeContext } from './test-node-context.js';

function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

async function settles(condition: () => boolean, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return true;
}

describe('DelayNode', () => {
  it('has an optional input `value` and the output `value`', () => {
    expect(DelayNode.inputs({ ms: 0 }).map((i) => [i.name, i.required])).toEqual([['value', false]]);
    expect(DelayNode.outputs({ ms: 0 }).map((o) => o.name)).toEqual(['value']);
  });

  it('waits `ms`, then passes its input through', async () => {
    const started = Date.now();
    await expect(executed(DelayNode, { value: { a: 1 } }, testNodeContext({ ms: 50 }))).resolves.toEqual({
      value: { a: 1 },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('outputs null when its input is not connected', async () => {
    await expect(executed(DelayNode, {}, testNodeContext({ ms: 0 }))).resolves.toEqual({ value: null });
  });

  it('rejects promptly with an AbortError when stopped, and clears its timer', async () => {
    const controller = new AbortController();
    const timersBefore = activeTimers();
    const started = Date.now();
    const waiting = executed(DelayNode, {}, testNodeContext({ ms: 4_900 }, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 20);
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(1000);
    // At most as many: the 4.9 s timer must be gone. Timers of other suites sharing this process
    // come and go, so the count is given a second to settle (polled without a timer of its own).
    expect(await settles(() => activeTimers() <= timersBefore, 1000)).toBe(true);
  });

  it('parks the run for a delay of more than 60 s, and completes when resumed at its time', async () => {
    const before = Date.now();
    const parked = await executed(DelayNode, {}, testNodeContext({ ms: 600_000 })).catch((error: unknown) => error);
    expect(parked).toBeInstanceOf(Park);
    const until = (parked as Park).wait.until!.getTime();
    expect(until - before).toBeGreaterThanOrEqual(600_000);
    expect((parked as Park).wait.signal).toBeUndefined();

    const early = testNodeContext({ ms: 600_000 }, { resumedFrom: { until: new Date(until) } });
    await expect(executed(DelayNode, {}, early)).rejects.toMatchObject({ wait: { until: new Date(until) } });
    const due = testNodeContext({ ms: 600_000 }, { resumedFrom: { until: new Date(Date.now() - 1) } });
    await expect(executed(DelayNode, { value: 7 }, due)).resolves.toEqual({ value: 7 });
  });

  it('rejects at once when the signal is already aborted', async () => {
    const ctx = testNodeContext({ ms: 4_900 }, { signal: AbortSignal.abort() });
    await expect(executed(DelayNode, {}, ctx)).rejects.toMatchObject({ name: 'AbortError' });
  });
});
