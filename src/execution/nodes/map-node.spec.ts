import { describe, expect, it } from '@jest/globals';
import type { ChildRunRequest, ChildRunResult, ChildRuns } from '../node-services.js';
import { NodeFailure } from '../node-type.js';
import { MapNode, type MapNodeConfig } from './map-node.js';
import { testNodeContext } from './test-node-context.js';

/** Child runs that double `item` after `delayMs(item)`, failing the item `failOn`; records concurrency. */
function fakeChildRuns(options: { delayMs?: (item: unknown) => number; failOn?: unknown } = {}) {
  const requests: ChildRunRequest[] = [];
  const stopped: number[] = [];
  let running = 0;
  let mostAtOnce = 0;
  const childRuns: ChildRuns = {
    async run(request): Promise<ChildRunResult> {
      requests.push(request);
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      try {
        const runId = `child-${request.itemIndex}`;
        const finished = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(true), options.delayMs?.(request.input.item) ?? 1);
          request.signal.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve(false);
          });
        });
        if (!finished) {
          stopped.push(request.itemIndex!);
          return { runId, status: 'stopped', output: null, error: null };
        }
        if ('failOn' in options && request.input.item === options.failOn) {
          return {
            runId,
            status: 'failed',
            output: null,
            error: { node_id: 'x', message: 'bad item', type: 'fail_node' },
          };
        }
        return { runId, status: 'completed', output: { value: (request.input.item as number) * 2 }, error: null };
      } finally {
        running--;
      }
    },
  };
  return { childRuns, requests, stopped, mostAtOnce: () => mostAtOnce };
}

const run = (config: Partial<MapNodeConfig>, inputs: Record<string, unknown>, childRuns: ChildRuns) =>
  MapNode.execute(
    inputs,
    testNodeContext<MapNodeConfig>(
      { workflow_id: 'w', ...config },
      { nodeId: 'map', attempt: 2, services: { childRuns } },
    ),
  );

describe('MapNode', () => {
  it('runs the child once per item, at most `concurrency` at once, results in item order', async () => {
    const fake = fakeChildRuns({ delayMs: () => 5 });
    const items = [5, 1, 4, 2, 3, 9, 7];
    const outputs = await run({ concurrency: 3, inputs: ['unit'] }, { items, unit: 'cm' }, fake.childRuns);
    expect(outputs).toEqual({ results: items.map((n) => ({ value: n * 2 })), errors: [] });
    expect(fake.mostAtOnce()).toBe(3);
    expect(fake.requests.map((request) => [request.itemIndex, request.attempt, request.input])).toContainEqual([
      1,
      2,
      { unit: 'cm', item: 1 },
    ]);
  });

  it('puts the item under item_input', async () => {
    const fake = fakeChildRuns();
    await run({ item_input: 'doc' }, { items: ['a'] }, fake.childRuns);
    expect(fake.requests[0].input).toEqual({ doc: 'a' });
  });

  it('skip leaves failed items out of results; collect puts null there; both list them in errors', async () => {
    const error = {
      index: 1,
      run_id: 'child-1',
      type: 'fail_node',
      message: 'child run child-1 failed at node "x": bad item',
    };
    const skip = await run({ on_item_error: 'skip' }, { items: [1, 2, 3] }, fakeChildRuns({ failOn: 2 }).childRuns);
    expect(skip).toEqual({ results: [{ value: 2 }, { value: 6 }], errors: [error] });
    const collect = await run(
      { on_item_error: 'collect' },
      { items: [1, 2, 3] },
      fakeChildRuns({ failOn: 2 }).childRuns,
    );
    expect(collect).toEqual({ results: [{ value: 2 }, null, { value: 6 }], errors: [error] });
  });

  it('fail: the first failed item fails the node with its error type and stops the items in flight', async () => {
    const fake = fakeChildRuns({ delayMs: (item) => (item === 0 ? 1 : 1000), failOn: 0 });
    const outcome = run({ concurrency: 3 }, { items: [0, 1, 2, 3, 4] }, fake.childRuns);
    await expect(outcome).rejects.toEqual(
      new NodeFailure('item 0: child run child-0 failed at node "x": bad item', 'fail_node'),
    );
    expect(fake.stopped.sort()).toEqual([1, 2]);
    expect(fake.requests.map((request) => request.itemIndex)).toEqual([0, 1, 2]);
  });

  describe('an item whose input does not fit the child', () => {
    /** Refuses strings the way the executor does (no child run), and runs the other items. */
    const refusingStrings = (fake = fakeChildRuns()): ChildRuns => ({
      run: (request) =>
        typeof request.input.item === 'string'
          ? Promise.resolve({ runId: null, status: 'failed', output: null, error: refusal })
          : fake.childRuns.run(request),
    });
    const refusal = {
      node_id: null,
      message: 'the child run cannot start: input.item must be an integer (type int), got a string',
      type: 'child_input_invalid',
    } as const;
    const itemError = { index: 1, run_id: null, type: 'child_input_invalid', message: refusal.message };

    it('is collected (null in results) or skipped like any failed item, with run_id null', async () => {
      const items = [1, 'x', 3];
      const collect = await run({ on_item_error: 'collect' }, { items }, refusingStrings());
      expect(collect).toEqual({ results: [{ value: 2 }, null, { value: 6 }], errors: [itemError] });
      const skip = await run({ on_item_error: 'skip' }, { items }, refusingStrings());
      expect(skip).toEqual({ results: [{ value: 2 }, { value: 6 }], errors: [itemError] });
    });

    it('is a node.delta like any finished item', async () => {
      const deltas: unknown[] = [];
      await MapNode.execute(
        { items: [1, 'x'] },
        testNodeContext<MapNodeConfig>(
          { workflow_id: 'w', on_item_error: 'collect', concurrency: 1 },
          { services: { childRuns: refusingStrings() }, emitDelta: (delta) => deltas.push(delta) },
        ),
      );
      expect(deltas).toEqual([
        { item: { index: 0, status: 'completed', run_id: 'child-0' }, done: 1, total: 2 },
        { item: { index: 1, status: 'failed', run_id: null }, done: 2, total: 2 },
      ]);
    });

    it('fails the map by default, naming the item, and stops the items in flight', async () => {
      const fake = fakeChildRuns({ delayMs: () => 1000 });
      const outcome = run({ concurrency: 3 }, { items: [0, 'x', 2, 3] }, refusingStrings(fake));
      await expect(outcome).rejects.toEqual(new NodeFailure(`item 1: ${refusal.message}`, 'child_input_invalid'));
      expect(fake.stopped.sort()).toEqual([0, 2]);
      expect(fake.requests.map((request) => request.itemIndex)).toEqual([0, 2]);
    });
  });

  it('an item that cannot start (too many descendants) fails the map and stops the items in flight', async () => {
    const fake = fakeChildRuns({ delayMs: () => 1000 });
    const refusing: ChildRuns = {
      run: (request) =>
        request.itemIndex === 2
          ? Promise.reject(new NodeFailure('the tree has created 2 child runs', 'too_many_descendants'))
          : fake.childRuns.run(request),
    };
    const outcome = run({ concurrency: 3 }, { items: [0, 1, 2, 3, 4] }, refusing);
    await expect(outcome).rejects.toMatchObject({ type: 'too_many_descendants' });
    expect(fake.stopped.sort()).toEqual([0, 1]);
    expect(fake.requests.map((request) => request.itemIndex)).toEqual([0, 1]);
  });

  it('refuses a value that is not a list, and more items than max_items', async () => {
    const fake = fakeChildRuns();
    await expect(run({}, { items: 'abc' }, fake.childRuns)).rejects.toMatchObject({ type: 'invalid_items' });
    await expect(run({ max_items: 2 }, { items: [1, 2, 3] }, fake.childRuns)).rejects.toMatchObject({
      type: 'too_many_items',
      message: '3 items; this map takes at most 2 (max_items)',
    });
    expect(fake.requests).toHaveLength(0);
  });

  it('gives an empty list empty results without starting anything', async () => {
    const fake = fakeChildRuns();
    expect(await run({}, { items: [] }, fake.childRuns)).toEqual({ results: [], errors: [] });
  });

  it('fails clearly where no child runs can be started', async () => {
    await expect(
      MapNode.execute({ items: [1] }, testNodeContext<MapNodeConfig>({ workflow_id: 'w' })),
    ).rejects.toMatchObject({ type: 'child_runs_unavailable' });
  });
});
