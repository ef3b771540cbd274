import type { Logger } from '@nestjs/common';
import type { DatabaseAvailability } from '../database/database-availability.js';
import { INSTANCE_ID } from '../database/instance-id.js';
import type { RunsRepository } from './runs.repository.js';

/** A run whose holder stops renewing for this long can be taken over by another instance. */
export const LEASE_MS = 10_000;
const LEASE_RENEW_MS = 2_000;
/** How often the holder checks its lease: the fence must fall well before the lease expires. */
const LEASE_CHECK_MS = 500;
/**
 * Fencing: a holder that has not renewed for this long aborts the run's nodes itself, before its
 * lease can expire and another instance take the run, so no node runs on two instances at once.
 */
export const FENCE_MS = LEASE_MS - 2_500;

/** What the holder does when the lease tells it to stop. */
export interface LeaseEvents {
  /** Another instance took the run, or the lease could not be renewed in time: stop writing to it. */
  lost(): void;
  /** A stop was requested (a fallback for a missed stop notification). */
  stopRequested(): void;
}

/**
 * This instance's lease on one run it executes: renewed every 2 s from `start()` until `end()`,
 * fenced at FENCE_MS after the last successful renewal (or the claim, at `leaseFrom`).
 */
export class RunLease {
  private renewalSentAt: number;
  private renewing = false;
  private ended = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly runs: RunsRepository,
    private readonly runId: string,
    /** When the claim (or the insert holding the lease) was sent: the lease runs at least LEASE_MS from then. */
    private leaseFrom: number,
    private readonly events: LeaseEvents,
    private readonly logger: Logger,
    private readonly availability: Pick<DatabaseAvailability, 'failed'>,
  ) {
    this.renewalSentAt = leaseFrom;
  }

  start(): void {
    this.timer = setInterval(() => void this.check(), LEASE_CHECK_MS);
  }

  /** Stops renewing: the run is finished, handed back or lost. */
  end(): void {
    this.ended = true;
    clearInterval(this.timer);
  }

  private async check(): Promise<void> {
    if (this.ended) return;
    if (Date.now() - this.leaseFrom >= FENCE_MS) {
      this.logger.warn({ runId: this.runId }, 'lease could not be renewed in time; aborting the run here');
      this.lose();
      return;
    }
    if (this.renewing || Date.now() - this.renewalSentAt < LEASE_RENEW_MS) return;
    this.renewing = true;
    const sentAt = Date.now();
    this.renewalSentAt = sentAt;
    try {
      const stopRequested = await this.runs.renewLease(this.runId, INSTANCE_ID, LEASE_MS);
      if (this.ended) return;
      if (stopRequested === undefined) {
        // Another instance took the run over (we were too slow to renew).
        this.lose();
        return;
      }
      this.leaseFrom = sentAt;
      if (stopRequested) this.events.stopRequested();
    } catch (error) {
      if (!this.availability.failed('renewing a lease', error)) {
        this.logger.warn({ err: error, runId: this.runId }, 'lease renewal failed');
      }
    } finally {
      this.renewing = false;
    }
  }

  private lose(): void {
    this.end();
    this.events.lost();
  }
}
