import { isTransientDatabaseError } from './transient-errors.js';

/**
 * Capped exponential backoff with jitter (each delay between half and all of its ceiling): many
 * instances retrying after one outage spread out instead of arriving together.
 */
export interface Backoff {
  /** The delay before the next attempt; grows with every call until `reset`. */
  next(): number;
  reset(): void;
}

/** The longest wait between two tries, unless a caller sets its own. */
export const BACKOFF_CAP_MS = 5_000;

export function backoff(initialMs = 200, maxMs = BACKOFF_CAP_MS): Backoff {
  let attempt = 0;
  return {
    next() {
      const ceiling = Math.min(maxMs, initialMs * 2 ** attempt);
      attempt++;
      return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
    },
    reset() {
      attempt = 0;
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retries `operation` while it fails with an error `retryable` accepts, waiting with backoff in between. */
export async function retrying<T>(
  operation: () => Promise<T>,
  retryable: (error: unknown) => boolean,
  onRetry: (error: unknown, delayMs: number) => void,
): Promise<T> {
  const delays = backoff();
  for (;;) {
    try {
      return await operation();
    } catch (error) {
      if (!retryable(error)) throw error;
      const delay = delays.next();
      onRetry(error, delay);
      await sleep(delay);
    }
  }
}

/** Hears of each failure while retrying (DatabaseAvailability, which imports this file's cap). */
interface OutageReport {
  failed(what: string, error: unknown): boolean;
}

/**
 * Runs `operation`, waiting out database outages (refused or broken connections, `too many
 * clients`) with backoff for as long as `keepTrying` says; `availability` hears of the outage.
 * Queue tasks use it: failing the job instead would hand the retry to graphile-worker's
 * exponential schedule (minutes after a few failures), long after the database is back.
 */
export function retryingThroughOutages<T>(
  operation: () => Promise<T>,
  availability: OutageReport,
  keepTrying: () => boolean = () => true,
): Promise<T> {
  return retrying(
    operation,
    (error) => keepTrying() && isTransientDatabaseError(error),
    (error) => availability.failed('a queue task', error),
  );
}
