import { describe, expect, it } from '@jest/globals';
import { WriteBatches } from './write-batches.js';

/** A fake write that logs each batch and answers once `release` is called. */
class Statements {
  readonly batches: number[][] = [];
  private releases: (() => void)[] = [];
  refuse: (items: number[]) => boolean = () => false;

  readonly write = (items: number[]): Promise<string[]> => {
    this.batches.push(items);
    return new Promise((resolve, reject) => {
      this.releases.push(() => {
        // 22P05: what PostgreSQL answers to a value jsonb cannot store.
        if (this.refuse(items)) reject(Object.assign(new Error(`refused ${items.join(',')}`), { code: '22P05' }));
        else resolve(items.map((item) => `done ${item}`));
      });
    });
  };

  /** Answers the statements in flight, and lets the batcher send its next. */
  async release(): Promise<void> {
    const releases = this.releases;
    this.releases = [];
    releases.forEach((release) => release());
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('WriteBatches', () => {
  it('sends a write at once when none is in flight, and what arrives meanwhile as the next batch', async () => {
    const statements = new Statements();
    const batches = new WriteBatches(statements.write, 100);
    const first = batches.add(1);
    expect(statements.batches).toEqual([[1]]);
    const later = [batches.add(2), batches.add(3), batches.add(4)];
    expect(statements.batches).toEqual([[1]]);
    await statements.release();
    expect(await first).toBe('done 1');
    expect(statements.batches).toEqual([[1], [2, 3, 4]]);
    await statements.release();
    expect(await Promise.all(later)).toEqual(['done 2', 'done 3', 'done 4']);
    // Nothing in flight again: the next write goes at once.
    const next = batches.add(5);
    expect(statements.batches).toEqual([[1], [2, 3, 4], [5]]);
    await statements.release();
    expect(await next).toBe('done 5');
  });

  it('sends no more than mostPerBatch in one statement', async () => {
    const statements = new Statements();
    const batches = new WriteBatches(statements.write, 2);
    const all = [1, 2, 3, 4, 5, 6].map((item) => batches.add(item));
    for (let i = 0; i < 4; i++) await statements.release();
    expect(statements.batches).toEqual([[1], [2, 3], [4, 5], [6]]);
    expect(await Promise.all(all)).toEqual([1, 2, 3, 4, 5, 6].map((item) => `done ${item}`));
  });

  it('writes a refused batch again item by item, so only the refused item fails', async () => {
    const statements = new Statements();
    statements.refuse = (items) => items.includes(3);
    const batches = new WriteBatches(statements.write, 100);
    const first = batches.add(1);
    const later = [2, 3, 4].map((item) => batches.add(item).catch((error: Error) => error.message));
    await statements.release();
    await statements.release();
    await statements.release();
    expect(statements.batches).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
    expect(await first).toBe('done 1');
    expect(await Promise.all(later)).toEqual(['done 2', 'refused 3', 'done 4']);
  });

  it('fails every write of a batch whose connection broke, without writing them again', async () => {
    const statements = new Statements();
    const batches = new WriteBatches(
      (items: number[]) =>
        items.length > 1
          ? Promise.reject(Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' }))
          : statements.write(items),
      100,
    );
    const first = batches.add(1);
    const later = [2, 3].map((item) => batches.add(item).catch((error: Error) => error.message));
    await statements.release();
    expect(await first).toBe('done 1');
    expect(await Promise.all(later)).toEqual([
      'Connection terminated unexpectedly',
      'Connection terminated unexpectedly',
    ]);
    expect(statements.batches).toEqual([[1]]);
  });

  it('fails a lone write with its error, and goes on with the next', async () => {
    const statements = new Statements();
    statements.refuse = (items) => items.includes(1);
    const batches = new WriteBatches(statements.write, 100);
    const first = batches.add(1).catch((error: Error) => error.message);
    const second = batches.add(2);
    await statements.release();
    await statements.release();
    expect(await first).toBe('refused 1');
    expect(await second).toBe('done 2');
  });
});
