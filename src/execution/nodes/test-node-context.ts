import type { NodeContext } from '../node-type.js';

/** A NodeContext for unit tests of node types. */
export function testNodeContext<C>(config: C, overrides: Partial<NodeContext<C>> = {}): NodeContext<C> {
  return {
    runId: 'run-1',
    nodeId: 'node-1',
    idempotencyKey: 'key-of-node-1',
    config,
    signal: new AbortController().signal,
    emitDelta: () => undefined,
    ...overrides,
  };
}
