import { describe, expect, it } from '@jest/globals';
import { GroupSlots } from './group-slots.js';

describe('GroupSlots', () => {
  const slots = () => new GroupSlots({ queueSlotsPerGroup: 2 });

  it('gives each group its share, independently of the others', () => {
    const shared = slots();
    expect(shared.tryTake('a')).not.toBeNull();
    expect(shared.tryTake('a')).not.toBeNull();
    expect(shared.tryTake('a')).toBeNull();
    expect(shared.tryTake('b')).not.toBeNull();
    expect(shared.heldBy('a')).toBe(2);
    expect(shared.heldBy('b')).toBe(1);
  });

  it("hands a released slot to the group's first waiter, and counts a release once", async () => {
    const shared = slots();
    const first = shared.tryTake('a')!;
    shared.tryTake('a');
    const order: string[] = [];
    const waiting = [
      shared.take('a', new AbortController().signal).then((slot) => (order.push('one'), slot)),
      shared.take('a', new AbortController().signal).then((slot) => (order.push('two'), slot)),
    ];
    first.release();
    first.release();
    const one = await waiting[0];
    expect(order).toEqual(['one']);
    expect(shared.heldBy('a')).toBe(2);
    one!.release();
    await waiting[1];
    expect(order).toEqual(['one', 'two']);
    expect(shared.tryTake('a')).toBeNull();
  });

  it('a waiter whose signal aborts gets null and leaves the line', async () => {
    const shared = slots();
    const held = [shared.tryTake('a')!, shared.tryTake('a')!];
    const controller = new AbortController();
    const waiting = shared.take('a', controller.signal);
    controller.abort();
    expect(await waiting).toBeNull();
    held.forEach((slot) => slot.release());
    expect(shared.heldBy('a')).toBe(0);
    expect(await shared.take('a', AbortSignal.abort())).not.toBeNull();
  });

  it('names the groups that hold their whole share, until one of their slots is released', async () => {
    const shared = slots();
    expect(shared.fullGroups()).toEqual([]);
    const a = [shared.tryTake('a')!, shared.tryTake('a')!];
    shared.tryTake('b');
    expect(shared.fullGroups()).toEqual(['a']);
    // A released slot that goes to a waiter leaves the group full.
    const waiting = shared.take('a', new AbortController().signal);
    a[0].release();
    const handedOn = await waiting;
    expect(shared.fullGroups()).toEqual(['a']);
    handedOn!.release();
    expect(shared.fullGroups()).toEqual([]);
    a[1].release();
    expect(shared.fullGroups()).toEqual([]);
    shared.tryTake('a');
    expect(shared.fullGroups((groupId) => (groupId === 'a' ? 1 : 0))).toEqual(['a']);
  });
});
