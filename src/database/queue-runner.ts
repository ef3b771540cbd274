import type { Logger as NestLogger } from '@nestjs/common';
import { Logger, run, type Runner, type RunnerOptions } from 'graphile-worker';
import pg from 'pg';

/** A graphile-worker runner and the pool it owns. */
export interface QueueRunner {
  runner: Runner;
  /** Stops taking jobs, waits for running ones, closes the pool. */
  stop(): Promise<void>;
}

/**
 * Starts a graphile-worker runner on its own small pool (the queue holds a listening connection
 * and must not starve requests). Signals are left to Nest; the queue's warnings and errors go to
 * `logger`.
 */
export async function startQueueRunner(
  databaseUrl: string,
  poolSize: number,
  logger: NestLogger,
  options: Omit<RunnerOptions, 'pgPool' | 'connectionString' | 'logger' | 'noHandleSignals'>,
): Promise<QueueRunner> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  const lost = (error: Error) => logger.warn({ err: error }, 'queue connection lost');
  pool.on('error', lost);
  pool.on('connect', (client) => client.on('error', lost));
  try {
    const runner = await run({
      ...options,
      pgPool: pool,
      noHandleSignals: true,
      logger: new Logger((scope) => (level, message) => {
        if (level === 'error' || level === 'warning') logger.warn({ scope }, message);
      }),
    });
    return {
      runner,
      stop: async () => {
        await runner.stop();
        await pool.end();
      },
    };
  } catch (error) {
    await pool.end();
    throw error;
  }
}
