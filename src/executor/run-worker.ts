import { Inject, Injectable, Logger as NestLogger, OnApplicationBootstrap } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DATABASE_URL, PG_POOL, type PgPool } from '../database/database.tokens.js';
import { retryingThroughOutages } from '../database/backoff.js';
import { DatabaseAvailability } from '../database/database-availability.js';
import { InstanceHeartbeat } from '../database/instance-heartbeat.js';
import { QueueRunner } from '../database/queue-runner.js';
import { RunStops } from './run-stops.js';
import { ExecutionService } from './execution.service.js';
import { GroupSlots } from './group-slots.js';
import { RunsRepository } from './runs.repository.js';
import { EXECUTE_RUN_JOB, type ExecuteRunPayload } from '../database/queue-jobs.js';
import { QueueNudge } from '../database/queue-nudge.js';
import { LocalRuns, type HandedOffRun } from './local-runs.js';
import { QUEUED_OUTSIDE_GROUPS, RUN_JOBS_DUE_NOW } from '../database/queue.sql.js';
import { FetchGate } from './fetch-gate.js';

/** Queued runs executing at once on one worker instance, and as many runs handed off to it (LocalRuns). */
const CONCURRENCY = 16;
/**
 * Handed-off runs whose nodes are done and whose end is being written, at most: they hold no slot
 * (their write is batched with the others', so the more finish meanwhile the fewer statements).
 */
const MOST_FINISHING = 128;
/** A run whose group already fills its share of the slots is taken again after about this long. */
const DEFER_MS = 1000;
/** Connections of the run queue's pool, graphile-worker's LISTEN connection included. */
export const RUN_QUEUE_POOL = 4;
/** How often expired leases are looked for: a dead holder's runs resume within lease + this. */
const REAP_EVERY_MS = 2_000;

/**
 * The worker side (ROLE=worker or all): takes `execute_run` jobs from graphile-worker's queue in
 * the same database and the async runs handed off to this instance (LocalRuns), both within the
 * same shares of its slots, and re-queues runs whose holder died (its lease expired), so they resume.
 */
@Injectable()
export class RunWorker implements OnApplicationBootstrap {
  private readonly logger = new NestLogger(RunWorker.name);
  private queue: QueueRunner | undefined;
  private reaper: NodeJS.Timeout | undefined;
  private stopping = false;
  /** Handed-off runs executing here now, their nodes not done yet. */
  private handedOffRunning = 0;
  /** Handed-off runs whose nodes are done, their final write not yet (MOST_FINISHING). */
  private handedOffFinishing = 0;
  /**
   * Queue jobs per group: a run that starts child runs gives its execution slot to them but keeps
   * its job, so one group's parents cannot take every job of the worker while their children run.
   */
  private readonly jobs: GroupSlots;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
    @Inject(PG_POOL) private readonly pool: PgPool,
    private readonly executor: ExecutionService,
    private readonly runs: RunsRepository,
    private readonly stops: RunStops,
    private readonly heartbeat: InstanceHeartbeat,
    private readonly slots: GroupSlots,
    private readonly availability: DatabaseAvailability,
    private readonly localRuns: LocalRuns,
    private readonly nudge: QueueNudge,
  ) {
    this.jobs = new GroupSlots(config);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.flagJobsQueuedOutsideGroups();
    const gate = new FetchGate([this.jobs, this.slots]);
    this.queue = new QueueRunner(
      this.databaseUrl,
      RUN_QUEUE_POOL,
      this.availability,
      this.logger,
      {
        concurrency: CONCURRENCY,
        pollInterval: 1000,
        // No local queue: a worker locks only a job it starts at once, so a crash strands nothing
        // that was merely fetched ahead. No batched completions either: when a batch cannot be
        // written, graphile-worker 0.17 shuts its worker pool down and can wait forever for the
        // batch's backpressure; a single completion that fails leaves a lock QueueRunner releases.
        // Jobs of groups that fill their share here are not fetched at all (FetchGate).
        forbiddenFlags: gate.forbiddenFlags,
        taskList: {
          [EXECUTE_RUN_JOB]: async (payload, helpers) => {
            const job = payload as ExecuteRunPayload;
            await retryingThroughOutages(
              () => this.executeFairly(job, helpers.job.priority),
              this.availability,
              () => !this.stopping,
            );
          },
        },
      },
      // A run's job may run again: its claim takes only an unfinished run nobody holds.
      { watch: (events) => gate.watch(events), asyncCommit: true },
    );
    await this.queue.start();
    this.heartbeat.track(this.queue);
    this.localRuns.serve(this.startHandedOff);
    await this.reapExpiredLeases();
    this.reaper = setInterval(() => void this.reapExpiredLeases(), REAP_EVERY_MS);
  }

  /**
   * Starts a run handed off here (LocalRuns) if its group has room in both shares, as a fetched job
   * would. A run of pure nodes gives its slot, its job share and its place among CONCURRENCY back
   * once its nodes are done: what is left, its final write, waits for the batch in flight, and the
   * next run need not. Any other run holds them to its end (its child runs may take its slot).
   */
  private readonly startHandedOff = (handedOff: HandedOffRun): boolean => {
    const { id: runId, groupId } = handedOff.run;
    if (this.handedOffRunning >= CONCURRENCY || this.handedOffFinishing >= MOST_FINISHING) return false;
    const job = this.jobs.tryTake(groupId);
    const slot = job && this.slots.tryTake(groupId);
    if (!job || !slot) {
      job?.release();
      return false;
    }
    this.handedOffRunning++;
    let walked = false;
    const release = () => {
      this.handedOffRunning--;
      slot.release();
      job.release();
    };
    this.executor
      .executeHandedOff(handedOff, slot, () => {
        walked = true;
        release();
        this.handedOffFinishing++;
        // Not inside this run's walk: whatever starting the next one meets is not this run's.
        void Promise.resolve().then(() => this.localRuns.startWaiting());
      })
      .catch((error: unknown) => {
        // The run is left queued with its job, or held under a lease that expires: another worker resumes it.
        if (!this.availability.failed('executing a handed-off run', error)) {
          this.logger.error({ err: error, runId }, 'executing a handed-off run failed');
        }
      })
      .finally(() => {
        if (walked) this.handedOffFinishing--;
        else release();
        this.localRuns.startWaiting();
      });
    return true;
  };

  /**
   * Fair sharing of this worker's slots: a group executes at most its share of runs at once here
   * (GroupSlots, child runs included), and holds at most its share of this worker's queue jobs. The
   * fetch gate keeps a full group's jobs in the queue; one fetched all the same (a race between
   * workers, a job without a group flag) goes back to the queue for a while, so other groups' runs
   * take the free slots. A run sent back keeps its job's priority, its place in its group's line.
   */
  private async executeFairly({ runId, groupId: queuedGroupId }: ExecuteRunPayload, priority: number): Promise<void> {
    // A finished run's job ends at the claim, which takes only unfinished runs.
    const groupId = queuedGroupId ?? (await this.runs.unfinishedRunGroup(runId));
    if (groupId === null) return;
    this.localRuns.remove(runId, groupId);
    const job = this.jobs.tryTake(groupId);
    const slot = job && this.slots.tryTake(groupId);
    if (!job || !slot) {
      job?.release();
      return this.runs.enqueueLater(runId, groupId, DEFER_MS * (1 + Math.random()), priority);
    }
    try {
      await this.executor.claimAndExecute(runId, slot);
    } finally {
      slot.release();
      job.release();
      this.localRuns.startWaiting();
    }
  }

  /**
   * Stops taking jobs and handed-off runs; resolves once running jobs have returned (see
   * ExecutionService.drain). Handed-off runs not started yet are left to the queue at once.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.reaper);
    await this.leaveToQueue(this.localRuns.close());
    await this.queue?.stop();
  }

  /** Makes the jobs of handed-off runs this instance will not start due now; they were due later anyway. */
  private async leaveToQueue(runIds: string[]): Promise<void> {
    if (runIds.length === 0) return;
    try {
      const due = await this.pool.query(RUN_JOBS_DUE_NOW, [runIds]);
      if (due.rowCount) this.nudge.jobsQueued(due.rowCount);
    } catch (error) {
      if (!this.availability.failed('leaving handed-off runs to the queue', error)) {
        this.logger.warn({ err: error, runs: runIds.length }, 'leaving handed-off runs to the queue failed');
      }
    }
  }

  /** See QUEUED_OUTSIDE_GROUPS; a failure only leaves those jobs ungated, as they were. */
  private async flagJobsQueuedOutsideGroups(): Promise<void> {
    try {
      const flagged = await this.pool.query(QUEUED_OUTSIDE_GROUPS);
      if (flagged.rowCount) this.logger.log({ jobs: flagged.rowCount }, 'flagged queued runs with their group');
    } catch (error) {
      if (!this.availability.failed('flagging queued runs with their group', error)) {
        this.logger.warn({ err: error }, 'flagging queued runs with their group failed');
      }
    }
  }

  private async reapExpiredLeases(): Promise<void> {
    // A slot freed by no job or handed-off run of this instance (a child run's) is taken by this tick at the latest.
    this.localRuns.startWaiting();
    try {
      for (const expired of await this.runs.expiredLeases()) {
        if (!expired.stopRequested) {
          await this.runs.enqueue(expired.id, expired.groupId);
          continue;
        }
        await this.stops.stopTree(expired.groupId, expired.id);
      }
    } catch (error) {
      if (!this.availability.failed('looking for runs to resume', error)) {
        this.logger.warn({ err: error }, 'looking for runs to resume failed');
      }
    }
  }
}
