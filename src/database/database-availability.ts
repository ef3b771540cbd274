import { Injectable, Logger } from '@nestjs/common';
import { BACKOFF_CAP_MS } from './backoff.js';
import { isTransientDatabaseError, missingDatabase } from './transient-errors.js';

/**
 * An outage ends once the database answers and nothing has failed for this long: calls that began
 * while it was away still fail for a moment after it is back, and a loop that keeps reconnecting
 * (the LISTEN connection, the queues' pools) tries again at least this often while it cannot.
 */
const QUIET_MS = BACKOFF_CAP_MS;

interface Outage {
  since: number;
  lastFailure: number;
  /** The first answer since the last failure. */
  answeredAt?: number;
  refused: number;
  /** Whether the outage was found to be a missing database, and said so. */
  toldMissing?: boolean;
}

/**
 * Whether this instance can reach its database, told to operators once per outage: one warning
 * when something first finds the database away (what failed, without a stack), one when it is
 * back (how long it was away, how many requests were refused meanwhile). Whatever meets the
 * outage reports here instead of logging: under load every request and background loop fails,
 * hundreds of times a second, and the line an operator needs would be lost among their stacks.
 *
 * The end is seen by whatever next succeeds and says so: the instance heartbeat (every 2 s) and
 * the readiness check. A healthy database costs those two calls a comparison; requests pay nothing.
 */
@Injectable()
export class DatabaseAvailability {
  private readonly logger = new Logger('Database');
  private outage: Outage | undefined;
  private refusedTotal = 0;

  /**
   * A database call made for `what` failed. True when `error` is the database being away, which
   * this logs (once per outage); false for any other error, which is the caller's to log.
   */
  failed(what: string, error: unknown): boolean {
    if (!isTransientDatabaseError(error)) return false;
    this.sawFailure(what, error);
    return true;
  }

  /** A request made for `what` was answered 503 because the database is away (`error` says how it was seen). */
  refused(what: string, error: unknown): void {
    this.sawFailure(what, error).refused++;
    this.refusedTotal++;
  }

  /** The database answered: ends the outage, if one is open and quiet. */
  answered(): void {
    if (!this.outage) return;
    const now = Date.now();
    const outage = this.outage;
    outage.answeredAt ??= now;
    if (now - outage.lastFailure < QUIET_MS) return;
    this.outage = undefined;
    this.logger.warn(
      { awaySeconds: (outage.answeredAt - outage.since) / 1000, refusedRequests: outage.refused },
      'database reachable again',
    );
  }

  /** Requests refused because the database was away, since this process started. */
  get refusals(): number {
    return this.refusedTotal;
  }

  private sawFailure(what: string, error: unknown): Outage {
    const now = Date.now();
    if (this.outage) {
      this.outage.lastFailure = now;
      this.outage.answeredAt = undefined;
    } else {
      this.outage = { since: now, lastFailure: now, refused: 0 };
      this.logger.warn({ during: what, error: describe(error) }, 'database unreachable');
    }
    this.tellIfMissing(this.outage, error);
    return this.outage;
  }

  /**
   * A dropped database first shows as connections ended by the server, like a restart; only new
   * connections tell that the database is gone. That is said once per outage, as an error: waiting
   * does not bring it back, someone must restore it.
   */
  private tellIfMissing(outage: Outage, error: unknown): void {
    const missing = outage.toldMissing ? undefined : missingDatabase(error);
    if (!missing) return;
    outage.toldMissing = true;
    this.logger.error(
      `${missing} — requests answer 503 until it is restored; a new, empty database needs a restart, which migrates it`,
    );
  }
}

/** The error's first line and code: what failed, without the stack. */
function describe(error: unknown): string {
  const { message, code } = (error ?? {}) as { message?: unknown; code?: unknown };
  const text = (typeof message === 'string' ? message : String(error)).split('\n')[0].slice(0, 200);
  return typeof code === 'string' && !text.includes(code) ? `${text} (${code})` : text;
}
