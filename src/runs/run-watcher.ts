import { Injectable } from '@nestjs/common';
import type { Run } from '../generated/prisma/client.js';
import { NotificationsService } from '../database/notifications.service.js';
import { isFinishedStatus } from '../common/run-status.js';
import { RunsRepository } from './runs.repository.js';
import { RUN_EVENTS_CHANNEL } from '../database/channels.js';

// Notifications make waiting prompt; this re-check covers a lost listener connection.
const RECHECK_MS = 1000;

export function isFinished(run: Run): boolean {
  return isFinishedStatus(run.status);
}

/** Waits for a run executing anywhere (this instance or another) to finish. */
@Injectable()
export class RunWatcher {
  constructor(
    private readonly runs: RunsRepository,
    private readonly notifications: NotificationsService,
  ) {}

  /** Resolves with the run once finished, or as it is when `timeoutMs` passes. */
  async waitForEnd(groupId: string, runId: string, timeoutMs: number): Promise<Run | null> {
    let wake: () => void = () => undefined;
    await this.runs.follow(groupId, runId);
    const unsubscribe = await this.notifications.listen(RUN_EVENTS_CHANNEL, (id) => id === runId && wake());
    const deadline = Date.now() + timeoutMs;
    try {
      for (;;) {
        const run = await this.runs.find(groupId, runId);
        if (!run || isFinished(run) || Date.now() >= deadline) return run;
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
