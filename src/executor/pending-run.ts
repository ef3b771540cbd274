import type { Run } from '../generated/prisma/client.js';
import type { RunPlan } from '../execution/engine/index.js';
import type { NodeRunRecord, RunEventRecord } from './run-records.js';
import type { RunRowChanges, RunsRepository } from './runs.repository.js';
import { journalFor } from './run-journal.js';
import type { FirstWrite } from './run-recorder.js';
import { SerialWrites } from './serial-writes.js';

/**
 * Whether a new run's row may wait until the run finishes (or first flushes, within 100 ms) instead
 * of being written before it starts: one round trip and one commit instead of two, for the runs
 * that most need it. It may wait only when nobody can look for the run before its request answers:
 * - it runs here, in its request (sync): a queued run must be in the queue;
 * - it has no Idempotency-Key: a repeated request must find it;
 * - no schedule started it: its row is what keeps a tick from starting twice;
 * - none of its nodes acts outside the database (HTTP calls, LLM requests, child runs): the run
 *   must exist before anything outside can have seen it;
 * - none of its nodes may park it (a durable wait): a parked run outlives its request, so it is
 *   created like any run that does, counted against max_active_runs.
 * Its callback does not stop it: a run inserted finished queues its callback as an update does.
 * max_active_runs does not refuse such a run: it never waits in the queue, its request holds it.
 */
export function mayWriteAtFinish(run: Run, plan: RunPlan): boolean {
  return run.mode === 'sync' && run.idempotencyKey === null && run.scheduleId === null && hasOnlyPureNodes(plan);
}

/** Whether no node of the plan acts outside the database or may park the run: executing it twice is harmless. */
export function hasOnlyPureNodes(plan: RunPlan): boolean {
  return [...plan.nodes.values()].every(
    (node) => !node.nodeType.hasExternalEffects && !node.nodeType.mayPark?.(node.config),
  );
}

/**
 * A run created here that is not in the database yet, and the one owner of writing it: the
 * recorder's first flush writes it (whole, when the run has finished by then), or `ensureWritten`
 * does when its request has to name it first. Writes are serialised, so it is inserted once.
 */
export class PendingRun implements FirstWrite {
  /** `unknown`: an insert failed in a way that leaves open whether it was committed. */
  private state: 'pending' | 'written' | 'unknown' = 'pending';
  private readonly writes = new SerialWrites();

  constructor(
    readonly run: Run,
    private readonly firstEvents: RunEventRecord[],
    private readonly repository: Pick<RunsRepository, 'insert' | 'insertJournaled' | 'exists'>,
  ) {}

  /**
   * Inserts the run with what the recorder flushes (its node runs, events and row changes), unless
   * it is written already; true when this wrote them, false when the recorder must flush them. A
   * run that has finished by then is stored as one row when it may be (journalFor).
   */
  writeWith(nodes: NodeRunRecord[], events: RunEventRecord[], changes: RunRowChanges): Promise<boolean> {
    return this.writes.run(async () => {
      if (this.state === 'written') return false;
      const run = this.withChanges(changes);
      const allEvents = [...this.firstEvents, ...events];
      const journal = journalFor(run, changes.finishedAt !== undefined, nodes, allEvents);
      if (journal) return this.tracked(() => this.repository.insertJournaled(run, journal));
      return this.insert(run, allEvents, nodes);
    });
  }

  /** Writes the run as it started, unless it is written already (e.g. before a 202 names it). */
  async ensureWritten(): Promise<void> {
    await this.writes.run(async () => {
      if (this.state !== 'written') await this.insert(this.run, this.firstEvents, []);
    });
  }

  /**
   * Whether the run is in the database: true, false, or undefined when that cannot be told (an
   * insert may have committed unseen, and the database does not answer now).
   */
  stored(): Promise<boolean | undefined> {
    return this.writes.run(async () => {
      if (this.state !== 'unknown') return this.state === 'written';
      return this.repository.exists(this.run.id).then(
        (exists) => exists,
        () => undefined,
      );
    });
  }

  /** True when the row went in; false when it was there already (an earlier insert committed unseen). */
  private insert(run: Run, events: RunEventRecord[], nodes: NodeRunRecord[]): Promise<boolean> {
    return this.tracked(() => this.repository.insert(run, events, false, nodes));
  }

  /** Runs an insert of the run, noting whether the run is in the database after it. */
  private async tracked(insert: () => Promise<boolean>): Promise<boolean> {
    try {
      const inserted = await insert();
      this.state = 'written';
      return inserted;
    } catch (error) {
      this.state = 'unknown';
      throw error;
    }
  }

  private withChanges(changes: RunRowChanges): Run {
    if (!changes.finishedAt) return { ...this.run, progress: changes.progress };
    return {
      ...this.run,
      status: changes.status ?? this.run.status,
      progress: changes.progress,
      output: (changes.output ?? null) as Run['output'],
      error: (changes.error ?? null) as Run['error'],
      finishedAt: changes.finishedAt,
      leaseOwner: null,
      leaseExpiresAt: null,
    };
  }
}
