import { Inject, Injectable, Logger } from '@nestjs/common';
import { PG_POOL, type PgPool } from './database.tokens.js';
import { DatabaseAvailability } from './database-availability.js';
import { ASYNC_COMMIT } from './async-commit.js';

/**
 * graphile-worker's channel: a payload's `count` wakes that many idle workers of every instance.
 * Committed asynchronously: a lost nudge costs an idle worker one poll interval, never a job.
 */
const NUDGE_WORKERS = `SELECT ${ASYNC_COMMIT}, pg_notify('jobs:insert', $1)`;

/**
 * Wakes idle queue workers for jobs inserted without add_job's own NOTIFY (insertNewRunJob): one
 * NOTIFY at a time, after the jobs' commit, for every job queued since the last one. A NOTIFY per
 * run held the database-wide notify lock through each creation's WAL flush, one creation after
 * another; under load many creations now share one nudge.
 */
@Injectable()
export class QueueNudge {
  private readonly logger = new Logger(QueueNudge.name);
  private queued = 0;
  private sending = false;

  constructor(
    @Inject(PG_POOL) private readonly pool: PgPool,
    private readonly availability: DatabaseAvailability,
  ) {}

  /** Jobs were committed: wakes as many idle workers, now or with the nudge after the one in flight. */
  jobsQueued(count = 1): void {
    this.queued += count;
    if (!this.sending) void this.send();
  }

  private async send(): Promise<void> {
    this.sending = true;
    try {
      while (this.queued > 0) {
        const count = this.queued;
        this.queued = 0;
        await this.pool.query(NUDGE_WORKERS, [JSON.stringify({ count })]).catch((error: unknown) => {
          if (!this.availability.failed('waking queue workers', error)) {
            this.logger.warn({ err: error }, 'waking queue workers failed; they find the jobs when they poll');
          }
        });
      }
    } finally {
      this.sending = false;
    }
  }
}
