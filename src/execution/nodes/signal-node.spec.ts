import { describe, expect, it } from '@jest/globals';
import { SignalNode, type SignalNodeConfig } from './signal-node.js';
import { executed, parkOf, testNodeContext } from './test-node-context.js';

describe('SignalNode', () => {
  it('parks for its signal, with no time limit unless timeout_ms is set', async () => {
    expect(await parkOf(executed(SignalNode, {}, testNodeContext<SignalNodeConfig>({ name: 'go' })))).toEqual({
      until: null,
      signal: 'go',
    });
    const before = Date.now();
    const timed = await parkOf(
      executed(SignalNode, {}, testNodeContext<SignalNodeConfig>({ name: 'go', timeout_ms: 5000 })),
    );
    expect(timed!.until!.getTime()).toBeGreaterThanOrEqual(before + 5000);
  });

  it('outputs the payload of the signal it took when resumed', async () => {
    const ctx = testNodeContext<SignalNodeConfig>(
      { name: 'go' },
      { resumedFrom: { until: null, signal: { payload: [1] } } },
    );
    await expect(executed(SignalNode, {}, ctx)).resolves.toEqual({ payload: [1] });
  });

  it('fails with signal_timeout once its timeout has passed without a signal, and waits on when woken early', async () => {
    const config = { name: 'go', timeout_ms: 1000 };
    const late = testNodeContext<SignalNodeConfig>(config, { resumedFrom: { until: new Date(Date.now() - 1) } });
    await expect(executed(SignalNode, {}, late)).rejects.toMatchObject({ type: 'signal_timeout' });
    const until = new Date(Date.now() + 60_000);
    const early = testNodeContext<SignalNodeConfig>(config, { resumedFrom: { until } });
    expect(await parkOf(executed(SignalNode, {}, early))).toEqual({ until, signal: 'go' });
  });

  it('refuses a schema that does not compile', () => {
    expect(SignalNode.checkConfig({ name: 'go', schema: { type: 'object' } })).toEqual([]);
    expect(SignalNode.checkConfig({ name: 'go', schema: { type: 'no-such-type' } })).toEqual([
      { path: 'schema', message: expect.stringContaining('is not a usable JSON Schema') },
    ]);
  });
});
