import { describe, expect, it } from '@jest/globals';
import { backoff, retrying } from './backoff.js';

describe('backoff', () => {
  it('grows exponentially with jitter, up to the cap, and starts again after reset', () => {
    const delays = backoff(100, 1_000);
    const first = [delays.next(), delays.next(), delays.next(), delays.next(), delays.next(), delays.next()];
    const ceilings = [100, 200, 400, 800, 1_000, 1_000];
    first.forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual(ceilings[i] / 2);
      expect(delay).toBeLessThanOrEqual(ceilings[i]);
    });
    delays.reset();
    expect(delays.next()).toBeLessThanOrEqual(100);
  });
});

describe('retrying', () => {
  it('retries what is retryable, then returns the result', async () => {
    let calls = 0;
    const retries: number[] = [];
    const result = await retrying(
      async () => {
        if (++calls < 3) throw new Error('again');
        return 'done';
      },
      () => true,
      (_, delay) => retries.push(delay),
    );
    expect(result).toBe('done');
    expect(retries).toHaveLength(2);
  });

  it('gives up at once on an error that is not retryable', async () => {
    await expect(
      retrying(
        async () => {
          throw new Error('fatal');
        },
        () => false,
        () => undefined,
      ),
    ).rejects.toThrow('fatal');
  });
});
