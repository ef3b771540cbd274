import type { Logger } from '@nestjs/common';
import pg from 'pg';
import { backoff, sleep } from './backoff.js';
import type { DatabaseAvailability } from './database-availability.js';

/**
 * A pool whose `connect()` waits out an outage (refused connections, `too many clients`, a server
 * starting up) with backoff instead of failing. graphile-worker completes and fails jobs on
 * connections it takes from here and does not survive a refused connect, so its pool is one of
 * these: during an outage the queue pauses, and resumes when the database answers. The outage is
 * told to DatabaseAvailability; other errors go to `logger`.
 */
export class RetryingPool extends pg.Pool {
  private closing = false;

  constructor(
    config: pg.PoolConfig,
    private readonly availability: DatabaseAvailability,
    logger: Logger,
  ) {
    super(config);
    const lost = (error: Error) => {
      if (!availability.failed('an idle queue connection', error)) logger.warn({ err: error }, 'queue connection lost');
    };
    this.on('error', lost);
    this.on('connect', (client) => client.on('error', lost));
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(
    callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: () => void) => void,
  ): void;
  override connect(
    callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: () => void) => void,
  ): Promise<pg.PoolClient> | void {
    if (callback) return super.connect(callback);
    return this.connectWaiting();
  }

  /** From now on a failed connect fails at once: a runner being stopped must not wait for the database forever. */
  stopWaiting(): void {
    this.closing = true;
  }

  override end(): Promise<void> {
    this.stopWaiting();
    return super.end();
  }

  private async connectWaiting(): Promise<pg.PoolClient> {
    const delays = backoff(200, 5_000);
    for (;;) {
      try {
        return await super.connect();
      } catch (error) {
        // The database being away is waited out; anything else is the caller's.
        if (this.closing || !this.availability.failed('a queue connection', error)) throw error;
        await sleep(delays.next());
      }
    }
  }
}
