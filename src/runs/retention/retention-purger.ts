import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { RepeatingTask } from '../../common/repeating-task.js';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { DatabaseAvailability } from '../../database/database-availability.js';
import { IDEMPOTENCY_WINDOW_MS } from '../idempotency.js';
import { RetentionRepository } from './retention.repository.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Small batches keep each transaction short; a pause between them leaves room for run writes. */
const BATCH = 200;
const PAUSE_MS = 50;
const EVERY_MS = 60_000;

/**
 * Deletes finished runs older than RUN_RETENTION_DAYS (with their node runs, events and callback
 * attempts) and audit events older than AUDIT_RETENTION_DAYS, and frees expired Idempotency-Keys, in small batches, once a minute on every worker.
 * Workers running it at once take disjoint rows (SKIP LOCKED), so no coordination is needed.
 */
@Injectable()
export class RetentionPurger implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RetentionPurger.name);
  private readonly task = new RepeatingTask(
    () => this.purge(),
    EVERY_MS,
    (error) => {
      if (!this.availability.failed('purging old runs', error)) {
        this.logger.warn({ err: error }, 'purging old runs failed');
      }
    },
  );

  constructor(
    private readonly retention: RetentionRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly availability: DatabaseAvailability,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(0);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /** One full pass: every batch that is due now. */
  async purge(): Promise<void> {
    if (this.config.runRetentionDays > 0) {
      const before = new Date(Date.now() - this.config.runRetentionDays * DAY_MS);
      while (!this.task.isStopped && (await this.retention.purgeFinishedBefore(before, BATCH)).runs === BATCH)
        await pause();
    }
    if (this.config.auditRetentionDays > 0) {
      const before = new Date(Date.now() - this.config.auditRetentionDays * DAY_MS);
      while (!this.task.isStopped && (await this.retention.purgeAuditEvents(before, BATCH)) === BATCH) await pause();
    }
    const keysBefore = new Date(Date.now() - IDEMPOTENCY_WINDOW_MS);
    while (!this.task.isStopped && (await this.retention.purgeIdempotencyKeys(keysBefore, BATCH)) === BATCH)
      await pause();
  }
}

const pause = () => new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
