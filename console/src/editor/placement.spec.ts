import { describe, expect, it } from '@jest/globals';
import { NODE_WIDTH } from '../graph/layout';
import { freeSpot } from './placement';

describe('freeSpot', () => {
  it('finds the first grid cell no node covers', () => {
    expect(freeSpot([])).toEqual({ x: 0, y: 0 });
    const second = freeSpot([{ x: 5, y: 5 }]);
    expect(second.x).toBeGreaterThanOrEqual(NODE_WIDTH);
    expect(second.y).toBe(0);
    const firstRow = [0, 1, 2, 3].map((column) => freeSpot([]).x + column * (NODE_WIDTH + 40));
    const below = freeSpot(firstRow.map((x) => ({ x, y: 0 })));
    expect(below.x).toBe(0);
    expect(below.y).toBeGreaterThan(0);
  });
});
