import { EventEmitter } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import type { WorkerEvents } from 'graphile-worker';
import { groupFlag, queueRunJob } from '../database/queue-jobs.js';
import { FetchGate } from './fetch-gate.js';
import { GroupSlots } from './group-slots.js';

describe('FetchGate', () => {
  const share = () => new GroupSlots({ queueSlotsPerGroup: 2 });
  const watched = (gate: FetchGate) => {
    const events: WorkerEvents = new EventEmitter();
    gate.watch(events);
    return events;
  };

  it('forbids the flags of groups that fill their share of jobs or of slots, each once', () => {
    const jobs = share();
    const slots = share();
    const gate = new FetchGate([jobs, slots]);
    const events = watched(gate);
    const fetch = () => {
      const flags = gate.forbiddenFlags().sort();
      events.emit('worker:getJob:empty', {} as never);
      return flags;
    };
    expect(fetch()).toEqual([]);
    const a = [jobs.tryTake('a')!, jobs.tryTake('a')!];
    slots.tryTake('b');
    slots.tryTake('b');
    slots.tryTake('a');
    slots.tryTake('a');
    expect(fetch()).toEqual([groupFlag('a'), groupFlag('b')]);
    a[0].release();
    expect(fetch()).toEqual([groupFlag('a'), groupFlag('b')]);
    expect(new FetchGate([jobs]).forbiddenFlags()).toEqual([]);
  });

  it('counts the fetches under way as runs of every group, until they start a job, find none or fail', () => {
    const jobs = share();
    const gate = new FetchGate([jobs]);
    const events = watched(gate);
    jobs.tryTake('a');
    jobs.tryTake('b');
    // The first fetch may still bring a's second run; a second fetch at the same time may not.
    expect(gate.forbiddenFlags()).toEqual([]);
    expect(gate.forbiddenFlags().sort()).toEqual([groupFlag('a'), groupFlag('b')]);
    events.emit('job:start', {} as never);
    expect(gate.forbiddenFlags().sort()).toEqual([groupFlag('a'), groupFlag('b')]);
    events.emit('worker:getJob:error', {} as never);
    events.emit('worker:getJob:empty', {} as never);
    expect(gate.forbiddenFlags()).toEqual([]);
    // A new runner's events start the count again: fetches of a stopped runner never answer.
    watched(gate);
    expect(gate.forbiddenFlags()).toEqual([]);
  });

  it('names the flag every queued run job carries', () => {
    expect(groupFlag('0b9f')).toBe('group:0b9f');
    expect(queueRunJob('$1::text', '$2::text')).toContain(`flags := ARRAY['group:' || $2::text]`);
  });
});
