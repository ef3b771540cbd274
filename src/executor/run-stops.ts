import { Injectable } from '@nestjs/common';
import type { Run } from '../generated/prisma/client.js';
import { STOP_CHANNEL } from '../database/channels.js';
import { NotificationsService } from '../database/notifications.service.js';
import { MetricsService } from '../observability/metrics.service.js';
import type { AuditEntry } from '../common/audit-events.js';
import { RunTreesRepository, type MarkedRun } from './run-trees.repository.js';

export interface TreeStop {
  /** The run itself was unfinished and is now asked to stop. */
  requested: boolean;
  /** The run as stopped at once, when nobody was executing it. */
  stoppedHere?: Run;
}

/**
 * Stops a run and every run below it (map items, sub-workflows, at any depth), for good: each is
 * marked in the database under the tree's lock, so no child is created under them afterwards; those
 * nobody executes end at once; every instance hears one notification and aborts what it executes
 * of the subtree; a holder that missed it learns at its next lease renewal (2 s), which also stops a
 * run whose ancestor ended; a restart resumes none of them.
 */
@Injectable()
export class RunStops {
  constructor(
    private readonly trees: RunTreesRepository,
    private readonly notifications: NotificationsService,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * On a finished run, this stops what is left running below it. `audit` (a stop asked through the
   * API) is recorded with the stop request, in its transaction.
   */
  async stopTree(groupId: string, runId: string, audit?: (marked: string[]) => AuditEntry[]): Promise<TreeStop> {
    const marked = await this.trees.markTreeStopping(groupId, runId, audit);
    if (marked.length === 0) return { requested: false };
    const stopped = await this.trees.stopUnheld(marked);
    for (const run of stopped) this.metrics.runFinished('stopped', run.mode, null);
    await this.notifications.notify(STOP_CHANNEL, runId);
    return { requested: marked.includes(runId), stoppedHere: stopped.find((run) => run.id === runId) };
  }

  /**
   * Asks the group's runs among `runIds` that are live and not yet asked to stop, with their
   * subtrees, to stop, as `stopTree` does for one run, in one transaction and one round of
   * notifications for all of them. Returns the runs asked; it does not wait for their holders.
   */
  async stopTrees(groupId: string, runIds: string[], audit?: (marked: MarkedRun[]) => AuditEntry[]): Promise<string[]> {
    const marked = await this.trees.markTreesStopping(groupId, runIds, audit);
    const asked = marked.filter((run) => run.asked).map((run) => run.id);
    if (asked.length === 0) return [];
    const stopped = await this.trees.stopUnheld(marked.map((run) => run.id));
    for (const run of stopped) this.metrics.runFinished('stopped', run.mode, null);
    await this.notifications.notifyEach(STOP_CHANNEL, asked);
    return asked;
  }
}
