import { describe, expect, it } from '@jest/globals';
import { planRun, type RunPlan } from '../execution/engine/index.js';
import { registryWith, step, StepRecorder, workflow } from '../execution/engine/testing/step-node.js';
import type { NodeType } from '../execution/node-type.js';
import type { Run } from '../generated/prisma/client.js';
import { newRun } from './new-run.js';
import { mayWriteAtFinish, PendingRun } from './pending-run.js';
import type { NodeRunRecord, RunEventRecord } from './run-records.js';
import type { RunJournal } from './run-journal.js';

function planOf(hasExternalEffects: boolean, mayPark = false): RunPlan {
  const steps = new StepRecorder();
  const registry = registryWith(steps).register({
    ...steps.nodeType,
    type: 'Effect',
    hasExternalEffects,
    mayPark: () => mayPark,
  } as NodeType);
  const planned = planRun(workflow({ a: step(), b: { type: 'Effect', config: {} } }), registry);
  if (!planned.ok) throw new Error(JSON.stringify(planned.problems));
  return planned.plan;
}

const PURE = planOf(false);
const fields = { groupId: 'g', workflowId: 'w', workflowVersionId: null, definition: {}, input: {} };
const syncRun = (extra: Partial<Run> = {}) => newRun({ ...fields, mode: 'sync', ...extra }, true);

describe('mayWriteAtFinish', () => {
  it('lets a sync run of pure nodes, without key or schedule, be written when it finishes', () => {
    expect(mayWriteAtFinish(syncRun().run, PURE)).toBe(true);
    expect(mayWriteAtFinish(syncRun({ callbackUrl: 'http://127.0.0.1:9/hooks' }).run, PURE)).toBe(true);
  });

  it.each([
    ['an async run (it must be in the queue)', newRun({ ...fields, mode: 'async' }, false).run, PURE],
    ['a run with an Idempotency-Key (a repeat must find it)', syncRun({ idempotencyKey: 'k' }).run, PURE],
    ['a schedule tick (its row keeps the tick from starting twice)', syncRun({ scheduleId: 's' }).run, PURE],
    ['a run with a node acting outside the database', syncRun().run, planOf(true)],
    ['a run with a node that may park it (it outlives its request)', syncRun().run, planOf(false, true)],
  ])('writes first %s', (_why, run, plan) => {
    expect(mayWriteAtFinish(run, plan)).toBe(false);
  });
});

/** A fake of the two repository calls, logging each insert as "status events nodes". */
class Inserts {
  readonly log: string[] = [];
  failNext: Error | undefined;
  storedAnyway = false;
  existsFails = false;

  readonly repository = {
    insert: async (run: Run, events: RunEventRecord[], _enqueue: boolean, nodes: NodeRunRecord[] = []) =>
      this.record(run, `${events.map((event) => event.type).join(',')} ${nodes.length}`),
    insertJournaled: async (run: Run, text: string) => {
      const journal = JSON.parse(text) as RunJournal;
      return this.record(run, `journal ${journal.events.map((event) => event[0]).join(',')} ${journal.nodes.length}`);
    },
    exists: async () => {
      if (this.existsFails) throw new Error('connection refused');
      return this.log.length > 0;
    },
  };

  private record(run: Run, what: string): boolean {
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure) {
      if (this.storedAnyway) this.log.push(`${run.status} (unseen)`);
      throw failure;
    }
    const exists = this.log.length > 0;
    this.log.push(`${run.status} ${what}`);
    return !exists;
  }
}

const node = { node_id: 'a', status: 'completed' } as NodeRunRecord;
const done = { status: 'completed' as const, progress: 100, output: {}, finishedAt: new Date() };

describe('PendingRun', () => {
  it("inserts the run whole with the recorder's first flush, then leaves flushes to the recorder", async () => {
    const inserts = new Inserts();
    const { run, events } = syncRun();
    const pending = new PendingRun(run, events, inserts.repository);
    expect(await pending.writeWith([node], [], done)).toBe(true);
    expect(await pending.writeWith([], [], { progress: 100 })).toBe(false);
    await pending.ensureWritten();
    expect(inserts.log).toEqual(['completed journal run.queued,run.started 1']);
    expect(await pending.stored()).toBe(true);
  });

  it('is written once, unfinished, when its request must name it first', async () => {
    const inserts = new Inserts();
    const { run, events } = syncRun();
    const pending = new PendingRun(run, events, inserts.repository);
    await Promise.all([pending.ensureWritten(), pending.ensureWritten()]);
    expect(await pending.writeWith([node], [], done)).toBe(false);
    expect(inserts.log).toEqual(['running run.queued,run.started 0']);
  });

  it('is not stored when no insert was tried, or when a failed insert left no row', async () => {
    const inserts = new Inserts();
    const { run, events } = syncRun();
    const pending = new PendingRun(run, events, inserts.repository);
    expect(await pending.stored()).toBe(false);
    inserts.failNext = new Error('connection terminated');
    await expect(pending.ensureWritten()).rejects.toThrow('connection terminated');
    expect(await pending.stored()).toBe(false);
  });

  it('asks the database after a failed insert, and cannot tell while it does not answer', async () => {
    const inserts = new Inserts();
    const { run, events } = syncRun();
    const pending = new PendingRun(run, events, inserts.repository);
    inserts.failNext = new Error('connection terminated');
    inserts.storedAnyway = true;
    await expect(pending.writeWith([], [], done)).rejects.toThrow('connection terminated');
    inserts.existsFails = true;
    expect(await pending.stored()).toBeUndefined();
    inserts.existsFails = false;
    expect(await pending.stored()).toBe(true);
  });

  it('takes a row that an unseen earlier insert committed as written, leaving the batch to the recorder', async () => {
    const inserts = new Inserts();
    const { run, events } = syncRun();
    const pending = new PendingRun(run, events, inserts.repository);
    inserts.failNext = new Error('connection terminated');
    inserts.storedAnyway = true;
    await expect(pending.ensureWritten()).rejects.toThrow();
    expect(await pending.writeWith([node], [], done)).toBe(false);
    expect(await pending.stored()).toBe(true);
  });
});
