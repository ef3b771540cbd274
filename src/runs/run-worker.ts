import { Inject, Injectable, Logger as NestLogger, OnApplicationBootstrap } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DATABASE_URL } from '../database/database.tokens.js';
import { startQueueRunner, type QueueRunner } from '../database/queue-runner.js';
import { MetricsService } from '../observability/metrics.service.js';
import { RunExecutor } from './run-executor.js';
import { RunsRepository } from './runs.repository.js';

/** Runs executing at once on one worker instance. */
const CONCURRENCY = 16;
/** How often expired leases are looked for: a dead holder's runs resume within lease + this. */
const REAP_EVERY_MS = 2_000;

/**
 * The worker side (ROLE=worker or all): takes `execute_run` jobs from graphile-worker's queue in
 * the same database, and re-queues runs whose holder died (its lease expired), so they resume.
 */
@Injectable()
export class RunWorker implements OnApplicationBootstrap {
  private readonly logger = new NestLogger(RunWorker.name);
  private queue: QueueRunner | undefined;
  private reaper: NodeJS.Timeout | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
    private readonly executor: RunExecutor,
    private readonly runs: RunsRepository,
    private readonly metrics: MetricsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.queue = await startQueueRunner(this.databaseUrl, 8, this.logger, {
      concurrency: CONCURRENCY,
      pollInterval: 1000,
      // Fetch and complete jobs in batches: fewer queue round trips per run. A job redelivered
      // after a crash is harmless, since executing a run needs its lease.
      preset: { worker: { localQueue: { size: CONCURRENCY + 1 }, completeJobBatchDelay: 0 } },
      taskList: {
        execute_run: async (payload) => {
          await this.executor.claimAndExecute((payload as { runId: string }).runId);
        },
      },
    });
    await this.reapExpiredLeases();
    this.reaper = setInterval(() => void this.reapExpiredLeases(), REAP_EVERY_MS);
  }

  /** Stops taking jobs; resolves once running jobs have returned (see RunExecutor.drain). */
  async stop(): Promise<void> {
    clearInterval(this.reaper);
    await this.queue?.stop();
  }

  private async reapExpiredLeases(): Promise<void> {
    try {
      for (const expired of await this.runs.expiredLeases()) {
        if (!expired.stopRequested) {
          await this.runs.enqueue(expired.id);
          continue;
        }
        const stopped = await this.runs.stopUnclaimed(expired.groupId, expired.id);
        if (stopped) this.metrics.runFinished('stopped', stopped.mode, null);
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'looking for runs to resume failed');
    }
  }
}
