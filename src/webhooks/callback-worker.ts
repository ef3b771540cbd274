import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger as NestLogger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DATABASE_URL } from '../database/database.tokens.js';
import { retryingThroughOutages } from '../database/backoff.js';
import { DatabaseAvailability } from '../database/database-availability.js';
import { InstanceHeartbeat } from '../database/instance-heartbeat.js';
import { QueueRunner } from '../database/queue-runner.js';
import { WebhookService } from './webhook.service.js';
import type { CallbackJob } from './webhooks.repository.js';
import { DELIVER_CALLBACK_JOB } from '../database/queue-jobs.js';

/** The graphile-worker task name; the `runs_queue_callback` trigger and redeliveries queue it too. */
/** Callbacks being sent at once by one worker instance. */
const CONCURRENCY = 8;
/** Connections of the callback queue's pool, graphile-worker's LISTEN connection included. */
export const CALLBACK_QUEUE_POOL = 3;

/**
 * Works `deliver_callback` jobs (ROLE=worker or all) with its own graphile-worker runner, so slow
 * receivers (up to 15 s each) never hold the slots that execute runs. Attempts due later are jobs
 * with a run_at, polled for often enough to keep the shortest retry delay.
 */
@Injectable()
export class CallbackWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new NestLogger(CallbackWorker.name);
  private queue: QueueRunner | undefined;
  private stopping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
    private readonly webhooks: WebhookService,
    private readonly heartbeat: InstanceHeartbeat,
    private readonly availability: DatabaseAvailability,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.queue = new QueueRunner(this.databaseUrl, CALLBACK_QUEUE_POOL, this.availability, this.logger, {
      concurrency: CONCURRENCY,
      pollInterval: pollIntervalFor(this.config.webhookRetryScheduleMs),
      taskList: {
        [DELIVER_CALLBACK_JOB]: async (payload, helpers) => {
          const job = parseJob(payload);
          if (job) {
            await retryingThroughOutages(
              () => this.webhooks.attempt(job, helpers.abortSignal),
              this.availability,
              () => !this.stopping && !helpers.abortSignal?.aborted,
            );
          } else this.logger.warn({ payload }, 'ignoring a malformed deliver_callback job');
        },
      },
    });
    await this.queue.start();
    this.heartbeat.track(this.queue);
  }

  /** Lets attempts in flight finish; attempts due later stay queued for any instance. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.queue?.stop();
  }
}

/**
 * Half the shortest retry delay, between 100 ms and 1 s. Each idle slot polls for due attempts at
 * this interval; new jobs due at once wake it through LISTEN/NOTIFY instead.
 */
export function pollIntervalFor(scheduleMs: readonly number[]): number {
  return Math.min(1000, Math.max(100, Math.floor(Math.min(...scheduleMs) / 2)));
}

function parseJob(payload: unknown): CallbackJob | undefined {
  const { runId, chain, attempt } = (payload ?? {}) as Record<string, unknown>;
  if (typeof runId !== 'string' || !Number.isInteger(chain) || !Number.isInteger(attempt)) return undefined;
  return { runId, chain: chain as number, attempt: attempt as number };
}
