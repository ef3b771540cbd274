import { EventEmitter } from 'node:events';
import type { Logger as NestLogger } from '@nestjs/common';
import { Logger, run, type Runner, type RunnerOptions, type WorkerEvents } from 'graphile-worker';
import pg from 'pg';
import { backoff, retrying, sleep } from './backoff.js';
import type { DatabaseAvailability } from './database-availability.js';
import { RetryingPool } from './retrying-pool.js';
import { isTransientDatabaseError } from './transient-errors.js';
import { RELEASE_STRANDED_JOBS, UNLOCK_WORKERS } from './queue.sql.js';

/** How often, and after how long, a lock held by a worker that is not running the job is released. */
const STRANDED_CHECK_MS = 15_000;

/**
 * graphile-worker warns at every start when its pool is smaller than its concurrency, assuming jobs
 * work on the queue's connections. Ours do not: a run or a callback works on the main pool, and a
 * queue connection is held only while a job is fetched or marked done, so a few serve all the jobs
 * at once. Pools sized to silence it doubled a worker's connections (18 → 37) and filled
 * PostgreSQL's slots in the test suite, so the warning, misleading here, is told at debug level.
 */
const POOL_SMALLER_THAN_CONCURRENCY = /maxPoolSize \(\d+\) smaller than concurrency/;

export type QueueOptions = Omit<RunnerOptions, 'pgPool' | 'connectionString' | 'logger' | 'noHandleSignals' | 'events'>;

/** What a QueueRunner's owner adds to graphile-worker's options. */
export interface QueueRunnerHooks {
  /** Called with each runner's events before it starts (a new runner replaces a stopped one). */
  watch?: (events: WorkerEvents) => void;
  /**
   * The queue's connections commit without waiting for the WAL to reach disk (synchronous_commit
   * off), for a queue whose jobs may run again after a PostgreSQL crash: a lost fetch leaves the
   * job available, a lost completion runs it again.
   */
  asyncCommit?: boolean;
}

/**
 * A graphile-worker runner on its own small pool (the queue holds a listening connection and must
 * not starve requests), kept alive: graphile-worker shuts its worker pool down when it cannot
 * complete or fail a job (the database went away mid-statement), and then this builds a new
 * runner, after releasing the jobs the old one still had locked. Signals are left to Nest; the
 * database being away is told to `availability`, the queue's other warnings and errors go to `logger`.
 */
export class QueueRunner {
  private runner: Runner | undefined;
  private pool: RetryingPool | undefined;
  private stopping = false;
  private loop: Promise<void> | undefined;
  /** Lock-holder ids of the current runner: the heartbeat publishes them so others can unlock its jobs. */
  private ids = new Set<string>();
  /** Jobs the current runner's workers are running. */
  private running = new Set<string>();
  private strandedCheck: NodeJS.Timeout | undefined;

  constructor(
    private readonly databaseUrl: string,
    private readonly poolSize: number,
    private readonly availability: DatabaseAvailability,
    private readonly logger: NestLogger,
    private readonly options: QueueOptions,
    private readonly hooks: QueueRunnerHooks = {},
  ) {}

  /** Resolves once the first runner works; waits out a database that is not reachable yet. */
  async start(): Promise<void> {
    await retrying(
      () => this.build(),
      isTransientDatabaseError,
      (error) => this.availability.failed('starting the queue', error),
    );
    this.loop = this.keepAlive();
    this.strandedCheck = setInterval(() => void this.releaseStranded(), STRANDED_CHECK_MS);
  }

  workerIds(): string[] {
    return [...this.ids];
  }

  /** Stops taking jobs, waits for running ones, closes the pool. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.strandedCheck);
    this.pool?.stopWaiting();
    await this.runner?.stop().catch(() => undefined);
    await this.loop;
    await this.pool?.end().catch(() => undefined);
  }

  private async build(): Promise<void> {
    const pool = new RetryingPool(
      {
        connectionString: this.databaseUrl,
        max: this.poolSize,
        ...(this.hooks.asyncCommit ? { options: '-c synchronous_commit=off' } : {}),
      },
      this.availability,
      this.logger,
    );
    const events: WorkerEvents = new EventEmitter();
    const ids = new Set<string>();
    const running = new Set<string>();
    // graphile-worker 0.17 locks a job in its worker pool's name (locked_by = the pool's id), not the
    // worker's: the pool id is what unlocking a dead instance's or a stranded job must name.
    events.on('pool:create', ({ workerPool }) => ids.add(workerPool.id));
    events.on('job:start', ({ job }) => running.add(job.id));
    events.on('job:complete', ({ job }) => running.delete(job.id));
    this.hooks.watch?.(events);
    try {
      this.runner = await run({
        ...this.options,
        pgPool: pool,
        events,
        noHandleSignals: true,
        logger: new Logger((scope) => (level, message, meta) => {
          if (level !== 'error' && level !== 'warning') return;
          if (POOL_SMALLER_THAN_CONCURRENCY.test(message)) return this.logger.debug?.({ scope }, message);
          if (!this.availability.failed('the queue', meta?.error)) this.logger.warn({ scope }, message);
        }),
      });
      this.pool = pool;
      this.ids = ids;
      this.running = running;
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
  }

  private async keepAlive(): Promise<void> {
    const delays = backoff(500, 10_000);
    while (!this.stopping) {
      const stoppedBy = await this.runner!.promise.then(
        () => undefined,
        (error: unknown) => error,
      );
      if (this.stopping) return;
      if (!this.availability.failed('the queue', stoppedBy)) {
        this.logger.warn({ err: stoppedBy }, 'queue runner stopped after an error; starting a new one');
      }
      const orphaned = this.workerIds();
      await this.pool?.end().catch(() => undefined);
      await sleep(delays.next());
      if (this.stopping) return;
      try {
        await this.unlock(orphaned);
        await this.build();
        delays.reset();
      } catch (error) {
        if (!this.availability.failed('restarting the queue', error)) {
          this.logger.warn({ err: error }, 'queue runner could not be restarted yet');
        }
      }
    }
  }

  private async releaseStranded(): Promise<void> {
    if (!this.pool || this.ids.size === 0) return;
    try {
      const released = await this.pool.query(RELEASE_STRANDED_JOBS, [
        [...this.ids],
        [...this.running],
        STRANDED_CHECK_MS,
      ]);
      if (released.rowCount) this.logger.warn({ jobs: released.rowCount }, 'released jobs locked but not running');
    } catch (error) {
      if (!this.availability.failed('releasing stranded jobs', error)) {
        this.logger.warn({ err: error }, 'releasing stranded jobs failed');
      }
    }
  }

  /** Jobs the stopped runner fetched or could not mark done go back to the queue at once. */
  private async unlock(workerIds: string[]): Promise<void> {
    if (workerIds.length === 0) return;
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on('error', () => undefined);
    await client.connect();
    try {
      await client.query(UNLOCK_WORKERS, [workerIds]);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
