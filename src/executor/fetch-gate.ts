import type { Worker, WorkerEvents } from 'graphile-worker';
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
 * job of any group it did not forbid: a group counts as full once its slots and the fetches under
 * way that may bring one of its jobs (`watch` follows them) would fill its share, or workers woken
 * together all take the group's last slot and all but one send their job back. A fetch that
 * forbade the group does not count, or a worker done with a job of a busy group would pass over
 * that group's next job while idle workers look for other groups' jobs. What the gate cannot see
 * still meets RunWorker's check: jobs queued without a group flag by earlier versions are fetched
 * whatever their group (QUEUED_OUTSIDE_GROUPS flags those at start-up).
 */
export class FetchGate {
  /** The groups each fetch under way forbade, by worker. */
  private readonly underWay = new Map<Worker, ReadonlySet<string>>();
  /** What the latest forbiddenFlags call forbade: graphile-worker starts that fetch in the same tick. */
  private latest: ReadonlySet<string> = new Set();

  constructor(private readonly shares: Pick<GroupSlots, 'fullGroups'>[]) {}

  readonly forbiddenFlags = (): string[] => {
    const mayBring = (groupId: string) => {
      let fetches = 0;
      for (const forbidden of this.underWay.values()) if (!forbidden.has(groupId)) fetches++;
      return fetches;
    };
    const full = new Set<string>();
    for (const share of this.shares) for (const groupId of share.fullGroups(mayBring)) full.add(groupId);
    this.latest = full;
    return [...full].map(groupFlag);
  };

  /**
   * Follows the fetches of a (new) runner: each starts right after its forbiddenFlags call and
   * ends with a job started, none found, or an error. A job is started in the same tick as
   * RunWorker takes its group's slot, so it is never counted twice nor missed.
   */
  watch(events: WorkerEvents): void {
    this.underWay.clear();
    events.on('worker:getJob:start', ({ worker }) => this.underWay.set(worker, this.latest));
    const ended = ({ worker }: { worker: Worker }) => this.underWay.delete(worker);
    events.on('job:start', ended);
    events.on('worker:getJob:empty', ended);
    events.on('worker:getJob:error', ended);
  }
}
