import type { Run } from '../generated/prisma/client.js';
import { INSTANCE_ID } from '../database/instance-id.js';
import { journalFor } from './run-journal.js';
import { LEASE_MS } from './run-lease.js';
import { LeaseLost, type FirstWrite } from './run-recorder.js';
import { runEvent, type NodeRunRecord, type RunEventRecord } from './run-records.js';
import type { FinishedUnclaimed, RunRowChanges, RunsRepository } from './runs.repository.js';
import { SerialWrites } from './serial-writes.js';

/**
 * A run handed off to this instance (LocalRuns) that executes before anyone claimed it: in the
 * database it is still queued, its job not yet due. Its nodes are pure (hasOnlyPureNodes), so it
 * needs no lease to start: when it finishes within the recorder's first flush, that one write takes
 * it finished, its node runs and events in its journal (TAKE_FINISHED_RUNS), instead of a claim, a
 * flush and the queue's fetch and completion. A run still going at the first flush, or one somebody
 * follows, is claimed then (CLAIM_RUN) and written from there as any claimed run. When someone took
 * it first (another worker, a stop) this execution is given up (LeaseLost): its nodes did nothing
 * outside the database.
 */
export class UnclaimedRun implements FirstWrite {
  private claimed = false;
  private readonly writes = new SerialWrites();

  constructor(
    private readonly run: Run,
    private readonly startedAt: Date,
    private readonly repository: Pick<RunsRepository, 'takeFinished' | 'claim'>,
    private readonly maxAttempts: number,
  ) {}

  writeWith(nodes: NodeRunRecord[], events: RunEventRecord[], changes: RunRowChanges): Promise<boolean> {
    return this.writes.run(async () => {
      if (this.claimed) return false;
      const { status, finishedAt, progress, output, error } = changes;
      const finished = status &&
        finishedAt && { status, finishedAt, progress, output, error, startedAt: this.startedAt };
      if (finished && (await this.takeFinished(nodes, events, finished))) return true;
      await this.claim();
      return false;
    });
  }

  async ensureWritten(): Promise<void> {
    await this.writes.run(async () => {
      if (!this.claimed) await this.claim();
    });
  }

  /** True when the run was written finished; false when it is followed (to be claimed instead). */
  private async takeFinished(
    nodes: NodeRunRecord[],
    events: RunEventRecord[],
    finished: FinishedUnclaimed,
  ): Promise<boolean> {
    // The claim would have recorded `run.started` (CLAIM_RUN); `run.queued` is a row already.
    const started = {
      ...runEvent('run.started', { status: 'running', attempt: 1 }),
      created_at: this.startedAt.toISOString(),
    };
    const journal = journalFor(this.run, true, nodes, [started, ...events]);
    if (!journal) return false;
    const outcome = await this.repository.takeFinished(this.run.id, journal, finished);
    if (outcome === 'gone') throw new LeaseLost(this.run.id);
    this.claimed = outcome === 'taken';
    return this.claimed;
  }

  private async claim(): Promise<void> {
    if (!(await this.repository.claim(this.run.id, INSTANCE_ID, LEASE_MS, this.maxAttempts))) {
      throw new LeaseLost(this.run.id);
    }
    this.claimed = true;
  }
}
