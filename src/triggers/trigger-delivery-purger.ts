import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { RepeatingTask } from '../common/repeating-task.js';
import { DatabaseAvailability } from '../database/database-availability.js';
import { TriggersRepository } from './triggers.repository.js';

const BATCH = 500;
const EVERY_MS = 60_000;

/**
 * Deletes delivery ids whose replay window has ended, once a minute on every API instance. A
 * remembered id past its window is already ignored by RECORD_DELIVERY, so this only keeps the
 * table small; instances purging at once take disjoint rows (SKIP LOCKED).
 */
@Injectable()
export class TriggerDeliveryPurger implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TriggerDeliveryPurger.name);
  private readonly task = new RepeatingTask(
    () => this.purge(),
    EVERY_MS,
    (error) => {
      if (!this.availability.failed('purging trigger deliveries', error)) {
        this.logger.warn({ err: error }, 'purging trigger deliveries failed');
      }
    },
  );

  constructor(
    private readonly triggers: TriggersRepository,
    private readonly availability: DatabaseAvailability,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  async purge(): Promise<void> {
    while (!this.task.isStopped && (await this.triggers.purgeExpiredDeliveries(BATCH)) === BATCH);
  }
}
