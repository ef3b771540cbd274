import { Injectable } from '@nestjs/common';
import type { Run } from '../generated/prisma/client.js';
import { NotificationsService } from '../database/notifications.service.js';
import { isFinishedStatus } from '../common/run-status.js';
import { RUN_EVENTS_CHANNEL } from '../database/channels.js';
import { RunEventsRepository } from './run-events.repository.js';

// Notifications make waiting prompt; this re-check covers a lost listener connection.
const RECHECK_MS = 1000;

export function isFinished(run: Run): boolean {
  return isFinishedStatus(run.status);
}

/** Finished, or parked in a durable wait: a sync request answers either at once. */
export function isFinishedOrParked(run: Run): boolean {
  return isFinished(run) || run.status === 'waiting';
}

/**
 * Waits for a run executing anywhere (this instance or another) to finish: every event it records
 * wakes the waiter, which reads the run again with the caller's `read`.
 */
@Injectable()
export class RunWatcher {
  constructor(
    private readonly events: RunEventsRepository,
    private readonly notifications: NotificationsService,
  ) {}

  /**
   * Resolves with the run once `done` (finished, unless told otherwise; null if `read` finds none),
   * or as it is when `timeoutMs` passes.
   */
  async waitForEnd(
    groupId: string,
    runId: string,
    read: () => Promise<Run | null>,
    timeoutMs: number,
    done: (run: Run) => boolean = isFinished,
  ): Promise<Run | null> {
    let wake: () => void = () => undefined;
    await this.events.follow(groupId, runId);
    const unsubscribe = await this.notifications.listen(RUN_EVENTS_CHANNEL, (id) => id === runId && wake());
    const deadline = Date.now() + timeoutMs;
    try {
      for (;;) {
        const run = await read();
        if (!run || done(run) || Date.now() >= deadline) return run;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(RECHECK_MS, deadline - Date.now()));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    } finally {
      unsubscribe();
    }
  }
}
