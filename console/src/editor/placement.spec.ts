import { describe, expect, it } from '@jest/globals';
import { NODE_HEIGHT, NODE_WIDTH } from '../layout';
import { freeSpot, positionsOf } from './placement';

describe('placement', () => {
  it('finds the first grid cell no node covers', () => {
    expect(freeSpot([])).toEqual({ x: 0, y: 0 });
    const second = freeSpot([{ x: 5, y: 5 }]);
    expect(second.x).toBeGreaterThanOrEqual(NODE_WIDTH);
    expect(second.y).toBe(0);
    const full = [0, 1, 2, 3].map((column) => ({ x: column * (NODE_WIDTH + 40), y: 0 }));
    expect(freeSpot(full)).toEqual({ x: 0, y: NODE_HEIGHT + 40 });
  });

  it('uses stored positions and lays out the nodes that have none', () => {
    const positions = positionsOf({
      nodes: [{ id: 'a', type: 'InputNode', position: { x: 500, y: 600 } } as never, { id: 'b', type: 'OutputNode' }],
      edges: [{ from: { node_id: 'a', output: 'value' }, to: { node_id: 'b', input: 'value' } }],
    });
    expect(positions.get('a')).toEqual({ x: 500, y: 600 });
    expect(positions.get('b')).toEqual(expect.objectContaining({ x: expect.any(Number) }));
  });
});
