import { describe, expect, it } from '@jest/globals';
import { executed, parkOf, testNodeContext } from './test-node-context.js';
import { WaitNode, type WaitNodeConfig } from './wait-node.js';

describe('WaitNode', () => {
  it('parks for duration_ms from when it is reached, then passes its input through once resumed', async () => {
    const before = Date.now();
    const wait = await parkOf(
      executed(WaitNode, { value: 1 }, testNodeContext<WaitNodeConfig>({ duration_ms: 60_000 })),
    );
    expect(wait!.until!.getTime()).toBeGreaterThanOrEqual(before + 60_000);
    expect(wait!.signal).toBeUndefined();
    const resumed = testNodeContext<WaitNodeConfig>({ duration_ms: 60_000 }, { resumedFrom: { until: new Date() } });
    await expect(executed(WaitNode, { value: 1 }, resumed)).resolves.toEqual({ value: 1 });
  });

  it('keeps its first time when woken early: it is not reckoned again from the resume', async () => {
    const until = new Date(Date.now() + 30_000);
    const early = testNodeContext<WaitNodeConfig>({ duration_ms: 60_000 }, { resumedFrom: { until } });
    expect(await parkOf(executed(WaitNode, {}, early))).toEqual({ until });
  });

  it('waits until an instant filled from its inputs; one past already does not wait', async () => {
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const ctx = testNodeContext<WaitNodeConfig>({ until: '((at))' });
    expect(await parkOf(executed(WaitNode, { at }, ctx))).toEqual({ until: new Date(at) });
    await expect(executed(WaitNode, { at: '2001-01-01T00:00:00+02:00' }, ctx)).resolves.toEqual({ value: null });
  });

  it('fails with invalid_wait_time on a text that is not an instant with an offset, or more than 30 days ahead', async () => {
    const ctx = testNodeContext<WaitNodeConfig>({ until: '((at))' });
    for (const at of [
      'tomorrow',
      '2027-01-04',
      '2027-01-04T09:00:00',
      new Date(Date.now() + 31 * 86_400_000).toISOString(),
    ]) {
      await expect(executed(WaitNode, { at }, ctx)).rejects.toMatchObject({ type: 'invalid_wait_time' });
    }
  });

  it('takes exactly one of duration_ms and until; until is a template with an input per placeholder', () => {
    expect(WaitNode.checkConfig({ duration_ms: 1 })).toEqual([]);
    expect(WaitNode.checkConfig({} as WaitNodeConfig)).toHaveLength(1);
    expect(WaitNode.checkConfig({ duration_ms: 1, until: 'x' } as unknown as WaitNodeConfig)).toHaveLength(1);
    expect(WaitNode.inputs({ until: '((deadline))' }).map((input) => input.name)).toEqual(['value', 'deadline']);
  });
});
