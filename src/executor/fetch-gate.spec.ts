import { describe, expect, it } from '@jest/globals';
import { groupFlag, queueRunJob } from '../database/queue-jobs.js';
import { fetchGate } from './fetch-gate.js';
import { GroupSlots } from './group-slots.js';

describe('fetchGate', () => {
  const share = () => new GroupSlots({ queueSlotsPerGroup: 2 });

  it('forbids the flags of groups that fill their share of jobs or of slots, each once, read at every fetch', () => {
    const jobs = share();
    const slots = share();
    const forbidden = fetchGate(jobs, slots);
    expect(forbidden()).toEqual([]);
    const a = [jobs.tryTake('a')!, jobs.tryTake('a')!];
    slots.tryTake('b');
    slots.tryTake('b');
    slots.tryTake('a');
    slots.tryTake('a');
    expect(forbidden().sort()).toEqual([groupFlag('a'), groupFlag('b')]);
    a[0].release();
    expect(forbidden().sort()).toEqual([groupFlag('a'), groupFlag('b')]);
    expect(fetchGate(jobs)()).toEqual([]);
  });

  it('names the flag every queued run job carries', () => {
    expect(groupFlag('0b9f')).toBe('group:0b9f');
    expect(queueRunJob('$1::text', '$2::text')).toContain(`flags := ARRAY['group:' || $2::text]`);
  });
});
