import { groupFlag } from '../database/queue-jobs.js';
import type { GroupSlots } from './group-slots.js';

/**
 * graphile-worker's `forbiddenFlags` for the run queue: the flags (groupFlag) of the groups that
 * fill their share of any of `shares` on this instance, read afresh before each fetch. A worker
 * thus never fetches a job it would have to send back: before, a job of a full group was fetched,
 * re-queued for 1–2 s (a statement that also notifies every listening worker) and completed,
 * three round trips for nothing, and while one group flooded the queue the worker's free slots
 * kept churning through its line. What the gate cannot see still meets RunWorker's check: workers
 * fetching at the same moment can all see a group one short of full, and jobs queued without a
 * group flag by earlier versions are fetched whatever their group (QUEUED_OUTSIDE_GROUPS flags
 * those at start-up).
 */
export function fetchGate(...shares: Pick<GroupSlots, 'fullGroups'>[]): () => string[] {
  return () => {
    const flags = new Set<string>();
    for (const share of shares) for (const groupId of share.fullGroups()) flags.add(groupFlag(groupId));
    return [...flags];
  };
}
