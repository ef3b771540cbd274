import { describe, expect, it } from '@jest/globals';
import type { Run } from '../generated/prisma/client.js';
import { newRun } from './new-run.js';
import { LeaseLost } from './run-recorder.js';
import { runEvent } from './run-records.js';
import type { RunJournal } from './run-journal.js';
import type { FinishedUnclaimed } from './runs.repository.js';
import { UnclaimedRun } from './unclaimed-run.js';

const fields = { groupId: 'g', workflowId: 'w', workflowVersionId: null, definition: {}, input: {} };
const queued = newRun({ ...fields, mode: 'async' }, false).run;
const STARTED = new Date('2026-12-04T10:00:00.000Z');
const FINISHED = new Date('2026-12-04T10:00:00.020Z');
const finished = { status: 'completed' as const, progress: 100, output: { answer: 42 }, finishedAt: FINISHED };

/** A fake of the two repository calls, logging each. */
class Writes {
  readonly log: string[] = [];
  takeOutcome: 'taken' | 'followed' | 'gone' = 'taken';
  claimRefused = false;
  journal: RunJournal | undefined;
  state: FinishedUnclaimed | undefined;

  readonly repository = {
    takeFinished: async (runId: string, journal: string, state: FinishedUnclaimed) => {
      this.log.push(`take ${runId === queued.id}`);
      this.journal = JSON.parse(journal) as RunJournal;
      this.state = state;
      return this.takeOutcome;
    },
    claim: async (runId: string) => {
      this.log.push(`claim ${runId === queued.id}`);
      return this.claimRefused ? null : ({ ...queued, status: 'running', attempt: 1 } as Run);
    },
  };

  unclaimed(run: Run = queued): UnclaimedRun {
    return new UnclaimedRun(run, STARTED, this.repository, 3);
  }
}

const completed = [runEvent('node.completed', { node_id: 'a' }), runEvent('run.completed', { status: 'completed' })];

describe('UnclaimedRun', () => {
  it('takes a run that finished by its first write in one write, its journal beginning where the claim would have', async () => {
    const writes = new Writes();
    const run = writes.unclaimed();
    expect(await run.writeWith([], completed, finished)).toBe(true);
    expect(writes.log).toEqual(['take true']);
    expect(writes.journal?.events.map((event) => event[0])).toEqual(['run.started', 'node.completed', 'run.completed']);
    expect(writes.journal?.events[0].slice(1)).toEqual([{ status: 'running', attempt: 1 }, STARTED.toISOString()]);
    expect(writes.state).toMatchObject({
      status: 'completed',
      startedAt: STARTED,
      finishedAt: FINISHED,
      output: { answer: 42 },
    });
    // Taken: any later write is the recorder's own.
    expect(await run.writeWith([], [], { progress: 100 })).toBe(false);
    await run.ensureWritten();
    expect(writes.log).toEqual(['take true']);
  });

  it('claims a run still going at its first write, and leaves that write to the recorder', async () => {
    const writes = new Writes();
    const run = writes.unclaimed();
    expect(await run.writeWith([], [runEvent('node.started', { node_id: 'a' })], { progress: 10 })).toBe(false);
    expect(await run.writeWith([], completed, finished)).toBe(false);
    expect(writes.log).toEqual(['claim true']);
  });

  it.each([
    ['somebody follows it (a follower is woken by event rows)', 'followed' as const],
    ['it runs for a debugger session (the journal cannot hold it)', 'taken' as const],
  ])('claims a finished run when %s', async (_why, takeOutcome) => {
    const writes = new Writes();
    writes.takeOutcome = takeOutcome;
    const run = takeOutcome === 'taken' ? writes.unclaimed({ ...queued, debugger: 'session' }) : writes.unclaimed();
    expect(await run.writeWith([], completed, finished)).toBe(false);
    expect(writes.log).toEqual(takeOutcome === 'taken' ? ['claim true'] : ['take true', 'claim true']);
  });

  it('gives the execution up when someone else took the run, or it cannot be claimed', async () => {
    const gone = new Writes();
    gone.takeOutcome = 'gone';
    await expect(gone.unclaimed().writeWith([], completed, finished)).rejects.toBeInstanceOf(LeaseLost);
    expect(gone.log).toEqual(['take true']);

    const refused = new Writes();
    refused.claimRefused = true;
    await expect(refused.unclaimed().writeWith([], [], { progress: 0 })).rejects.toBeInstanceOf(LeaseLost);
    await expect(refused.unclaimed().ensureWritten()).rejects.toBeInstanceOf(LeaseLost);
  });
});
