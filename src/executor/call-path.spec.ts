import { describe, expect, it } from '@jest/globals';
import { nodeIdempotencyKey } from '../execution/engine/idempotency-key.js';
import { childCallPath } from './call-path.js';

const root = { id: 'root-run', callPath: null };

describe('childCallPath', () => {
  it("appends the parent's node and item to the parent's path (its id when it has none)", () => {
    expect(childCallPath(root, 'each', 2)).toBe('root-run/each:2');
    expect(childCallPath(root, 'call', null)).toBe('root-run/call:');
    expect(childCallPath({ id: 'child-run', callPath: 'root-run/each:2' }, 'inner', 0)).toBe('root-run/each:2/inner:0');
  });

  it("gives each map item's child its own path, so the same node in each gets its own key", () => {
    const paths = [0, 1, 2].map((item) => childCallPath(root, 'each', item));
    expect(new Set(paths).size).toBe(3);
    expect(new Set(paths.map((path) => nodeIdempotencyKey(path, 'call'))).size).toBe(3);
  });

  it("follows the parent's call path, not its id: a retry of the root (its source's path) gives its children the same paths", () => {
    const retry = { id: 'retry-run', callPath: 'root-run' };
    expect(childCallPath(retry, 'each', 1)).toBe(childCallPath(root, 'each', 1));
    expect(childCallPath({ id: 'replay-run', callPath: null }, 'each', 1)).not.toBe(childCallPath(root, 'each', 1));
  });
});
