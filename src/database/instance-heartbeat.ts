import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { type AppConfig, worksQueues } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DatabaseAvailability } from './database-availability.js';
import { INSTANCE_ID } from './instance-id.js';
import { PG_POOL, type PgPool } from './database.tokens.js';
import { FORGET_INSTANCE, HEARTBEAT, REAP_DEAD_INSTANCES } from './instances.sql.js';
import type { QueueRunner } from './queue-runner.js';

/** How often each instance writes its heartbeat. */
export const HEARTBEAT_MS = 2_000;
/** An instance whose heartbeat is this old is dead: its job locks and leases are released. */
export const INSTANCE_STALE_MS = 8_000;

/**
 * Keeps this instance's row in `instances` fresh, with the worker ids of its queue runners; on
 * worker instances, also releases what dead instances held. An instance only judges others after
 * its own heartbeats have succeeded for INSTANCE_STALE_MS, so after a database outage (when every
 * heartbeat is old) live instances first get the time to write theirs. Its success is what tells
 * DatabaseAvailability that an outage has ended, on every instance.
 */
@Injectable()
export class InstanceHeartbeat implements OnApplicationBootstrap {
  private readonly logger = new Logger(InstanceHeartbeat.name);
  private readonly queues = new Set<QueueRunner>();
  private timer: NodeJS.Timeout | undefined;
  private healthySince: number | undefined;
  private beating: Promise<void> = Promise.resolve();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PG_POOL) private readonly pool: PgPool,
    private readonly availability: DatabaseAvailability,
  ) {}

  /** Publishes the queue's worker ids with every heartbeat. */
  track(queue: QueueRunner): void {
    this.queues.add(queue);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.beating = this.beat();
    }, HEARTBEAT_MS);
    this.beating = this.beat();
  }

  /**
   * After the queues stopped, before the pool closes: a clean exit leaves nothing for others to
   * release. (If the database is away now, others release it once its heartbeat is stale.)
   */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.beating;
    await this.pool.query(FORGET_INSTANCE, [INSTANCE_ID]).catch(() => undefined);
  }

  private async beat(): Promise<void> {
    try {
      const workerIds = [...this.queues].flatMap((queue) => queue.workerIds());
      await this.pool.query(HEARTBEAT, [INSTANCE_ID, this.config.role, workerIds]);
      this.healthySince ??= Date.now();
      this.availability.answered();
    } catch (error) {
      this.healthySince = undefined;
      if (!this.availability.failed('instance heartbeat', error)) {
        this.logger.warn({ err: error }, 'instance heartbeat failed');
      }
      return;
    }
    if (worksQueues(this.config) && Date.now() - this.healthySince >= INSTANCE_STALE_MS) await this.reapDead();
  }

  private async reapDead(): Promise<void> {
    try {
      const result = await this.pool.query<{ dead: string[]; requeued: number }>(REAP_DEAD_INSTANCES, [
        INSTANCE_STALE_MS,
      ]);
      const { dead, requeued } = result.rows[0];
      if (dead.length > 0) this.logger.warn({ dead, requeued }, 'released the jobs and runs of dead instances');
    } catch (error) {
      if (!this.availability.failed('looking for dead instances', error)) {
        this.logger.warn({ err: error }, 'looking for dead instances failed');
      }
    }
  }
}
