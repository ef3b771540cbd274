import { Logger } from '@nestjs/common';
import { isTransientDatabaseError } from './transient-errors.js';

/**
 * Last resort, after every error path we own handles outages itself: graphile-worker 0.17 leaves
 * some promises unobserved (a job completion that failed while the database was away, the shutdown
 * of its worker pool that follows). Such a rejection must not end the process; QueueRunner
 * notices the worker pool stopped and builds a new one. Any other unhandled rejection still
 * crashes the process, as Node does by default.
 */
export function surviveDatabaseOutages(): void {
  const logger = new Logger('Database');
  process.on('unhandledRejection', (reason) => {
    if (!isTransientDatabaseError(reason)) throw reason;
    logger.warn({ err: reason }, 'database error in the background (the database is unreachable)');
  });
}
