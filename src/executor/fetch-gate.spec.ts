import { EventEmitter } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import type { Worker, WorkerEvents } from 'graphile-worker';
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
  const worker = (id: string) => ({ workerId: id }) as unknown as Worker;
  /** A fetch by `by`: graphile-worker asks for the flags, then starts the fetch in the same tick. */
  const startFetch = (gate: FetchGate, events: WorkerEvents, by: Worker) => {
    const flags = gate.forbiddenFlags().sort();
    events.emit('worker:getJob:start', { worker: by } as never);
    return flags;
  };

  it('forbids the flags of groups that fill their share of jobs or of slots, each once', () => {
    const jobs = share();
    const slots = share();
    const gate = new FetchGate([jobs, slots]);
    const events = watched(gate);
    const fetch = () => {
      const flags = startFetch(gate, events, worker('w'));
      events.emit('worker:getJob:empty', { worker: worker('w') } as never);
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

  it('counts the fetches under way that may bring a job of the group, until they start one, find none or fail', () => {
    const jobs = share();
    const gate = new FetchGate([jobs]);
    const events = watched(gate);
    const [one, two, three] = [worker('1'), worker('2'), worker('3')];
    jobs.tryTake('a');
    jobs.tryTake('b');
    // The first fetch may still bring a's or b's second run; a second fetch at the same time may not.
    expect(startFetch(gate, events, one)).toEqual([]);
    expect(startFetch(gate, events, two)).toEqual([groupFlag('a'), groupFlag('b')]);
    // The second fetch forbade both groups, so it does not count against them.
    events.emit('job:start', { worker: one } as never);
    expect(startFetch(gate, events, one)).toEqual([]);
    events.emit('worker:getJob:error', { worker: one } as never);
    events.emit('worker:getJob:empty', { worker: two } as never);
    jobs.tryTake('a');
    expect(startFetch(gate, events, three)).toEqual([groupFlag('a')]);
    // A new runner's events start the count again: fetches of a stopped runner never answer.
    startFetch(gate, events, one);
    watched(gate);
    expect(gate.forbiddenFlags()).toEqual([groupFlag('a')]);
    jobs.tryTake('b');
    expect(gate.forbiddenFlags()).toEqual([groupFlag('a'), groupFlag('b')]);
  });

  it('names the flag every queued run job carries', () => {
    expect(groupFlag('0b9f')).toBe('group:0b9f');
    expect(queueRunJob('$1::text', '$2::text')).toContain(`flags := ARRAY['group:' || $2::text]`);
  });
});
