import type { WorkerEvents } from 'graphile-worker';
import { groupFlag } from '../database/queue-jobs.js';
import type { GroupSlots } from './group-slots.js';

/**
 * graphile-worker's `forbiddenFlags` for the run queue (`forbiddenFlags`, read afresh before each
 * fetch): the flags (groupFlag) of the groups that fill their share of any of `shares` on this
 * instance. A worker thus never fetches a job it would have to send back: before, a job of a full
 * group was fetched, re-queued for 1–2 s (a statement that also notifies every listening worker)
 * and completed, three round trips for nothing, and while one group flooded the queue the worker's
 * free slots kept churning through its line.
 *
 * Fetches run side by side (one per idle worker, woken together by new jobs), and each may bring a
 * job of any group: a group counts as full once its slots and the fetches still under way (`watch`
 * follows them) would fill its share, or workers woken together all take the group's last slot
 * and all but one send their job back. What the gate cannot see still meets RunWorker's check:
 * jobs queued without a group flag by earlier versions are fetched whatever their group
 * (QUEUED_OUTSIDE_GROUPS flags those at start-up).
 */
export class FetchGate {
  /** Fetches asked for their forbidden flags and not answered yet. */
  private fetching = 0;

  constructor(private readonly shares: Pick<GroupSlots, 'fullGroups'>[]) {}

  readonly forbiddenFlags = (): string[] => {
    const flags = new Set<string>();
    for (const share of this.shares)
      for (const groupId of share.fullGroups(this.fetching)) flags.add(groupFlag(groupId));
    this.fetching++;
    return [...flags];
  };

  /**
   * Follows the fetches of a (new) runner: each ends with a job started, none found, or an error.
   * A job is started in the same tick as RunWorker takes its group's slot, so it is never counted
   * twice nor missed.
   */
  watch(events: WorkerEvents): void {
    this.fetching = 0;
    const ended = () => {
      this.fetching = Math.max(0, this.fetching - 1);
    };
    events.on('job:start', ended);
    events.on('worker:getJob:empty', ended);
    events.on('worker:getJob:error', ended);
  }
}
