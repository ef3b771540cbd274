import { describe, expect, it } from '@jest/globals';
import { DescendantCounts } from './descendant-counts.js';

describe('DescendantCounts', () => {
  it('counts from what is stored, once per open tree, and refuses past the limit', async () => {
    const reads: string[] = [];
    const counts = new DescendantCounts(async (root) => (reads.push(root), 3));
    counts.open('root');
    const reserved = await Promise.all([1, 2, 3].map(() => counts.reserve('root', 5)));
    expect(reserved.sort()).toEqual([false, true, true]);
    counts.unreserve('root');
    expect(await counts.reserve('root', 5)).toBe(true);
    expect(await counts.reserve('root', 5)).toBe(false);
    expect(reads).toEqual(['root']);
  });

  it('drops a tree when its last walk closes, and reads it again when reopened', async () => {
    let stored = 0;
    const counts = new DescendantCounts(async () => stored);
    counts.open('root');
    counts.open('root');
    expect(await counts.reserve('root', 1)).toBe(true);
    counts.close('root');
    expect(await counts.reserve('root', 1)).toBe(false);
    counts.close('root');
    await expect(counts.reserve('root', 1)).rejects.toThrow('not open');
    stored = 1;
    counts.open('root');
    expect(await counts.reserve('root', 1)).toBe(false);
  });

  it('reads again after a failed read', async () => {
    let fail = true;
    const counts = new DescendantCounts(async () => {
      if (fail) throw new Error('database away');
      return 0;
    });
    counts.open('root');
    await expect(counts.reserve('root', 1)).rejects.toThrow('database away');
    fail = false;
    expect(await counts.reserve('root', 1)).toBe(true);
  });
});
