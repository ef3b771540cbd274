import { Park, type NodeContext, type NodeType } from '../node-type.js';

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

/**
 * A node's `execute` as a promise, whether the node answers at once or later (a synchronous throw
 * rejects it), for tests that await or catch what it does.
 */
export async function executed<C>(
  node: NodeType<C>,
  inputs: Record<string, unknown>,
  ctx: NodeContext<C>,
): Promise<Record<string, unknown>> {
  return node.execute(inputs, ctx);
}

/** What a node parked for (its Park's wait), undefined when it answered; any other failure rejects. */
export function parkOf(execution: Promise<unknown>) {
  return execution.then(
    () => undefined,
    (error: unknown) => (error instanceof Park ? error.wait : Promise.reject(error)),
  );
}
