import { describe, expect, it } from '@jest/globals';
import { combineHooks } from './combine-hooks.js';
import type { RunHooks } from './dag-runner.js';

describe('combineHooks', () => {
  it('calls each hooks object in the order given, with the same arguments', () => {
    const calls: string[] = [];
    const named = (name: string): RunHooks => ({
      onNodeStarted: (nodeId, type) => void calls.push(`${name} started ${nodeId} ${type}`),
      onProgress: (percent) => void calls.push(`${name} ${percent}%`),
    });
    const hooks = combineHooks(named('a'), { onProgress: () => void calls.push('b only') }, named('c'));
    void hooks.onNodeStarted?.('n1', 'Step', {});
    void hooks.onProgress?.(50);
    expect(calls).toEqual(['a started n1 Step', 'c started n1 Step', 'a 50%', 'b only', 'c 50%']);
  });

  it('leaves out the hooks none of them has, and waits for every promise one returns', async () => {
    let flushed = false;
    const recorder: RunHooks = {
      onNodeCompleted: () => new Promise<void>((resolve) => setTimeout(() => resolve(void (flushed = true)), 10)),
    };
    const hooks = combineHooks({ onNodeCompleted: () => undefined }, recorder);
    expect(hooks.onNodeFailed).toBeUndefined();
    const waiting = hooks.onNodeCompleted?.('n1', {}, 1);
    expect(waiting).toBeInstanceOf(Promise);
    expect(flushed).toBe(false);
    await waiting;
    expect(flushed).toBe(true);
  });

  it('keeps `this` for class-based hooks', () => {
    class Counter implements RunHooks {
      skipped = 0;
      onNodeSkipped(): void {
        this.skipped++;
      }
    }
    const counter = new Counter();
    void combineHooks(counter, {}).onNodeSkipped?.('n1', 'branch not taken');
    expect(counter.skipped).toBe(1);
  });

  it('stops at a hook that throws, as the walk would', () => {
    const calls: string[] = [];
    const hooks = combineHooks(
      {
        onNodeStopped: () => {
          throw new Error('write refused');
        },
      },
      { onNodeStopped: () => void calls.push('after') },
    );
    expect(() => hooks.onNodeStopped?.('n1', 3)).toThrow('write refused');
    expect(calls).toEqual([]);
  });
});
