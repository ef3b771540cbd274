import { GROUP_LIMITS, type GroupLimitName } from '../config/group-limits.js';

/** The limits whose usage is a count of rows; max_active_runs has its own counter (liveRootRuns). */
type RowCountedLimit = Exclude<GroupLimitName, 'max_active_runs'>;

/**
 * What each row-counted limit (config/group-limits.ts) counts, as the rows of the group `group`
 * (an SQL expression) held against it. The predicates match the partial indexes of the migration
 * `group_limits`, so a count reads only the rows it counts.
 */
const COUNTED_ROWS: Record<RowCountedLimit, (group: string) => string> = {
  max_schedules: (group) => `schedules WHERE group_id = ${group}`,
  max_triggers: (group) => `triggers WHERE group_id = ${group}`,
  max_schedule_ticks_per_minute: (group) =>
    `runs WHERE group_id = ${group} AND scheduled_for IS NOT NULL AND created_at > now() - interval '1 minute'`,
};

/**
 * The group's live root runs (queued, running or waiting), which max_active_runs limits: the sum of
 * its rows in `group_live_runs`, kept by triggers on `runs` (see the migration group_live_runs), so
 * reading it costs the same whatever the length of the group's queue.
 */
export function liveRootRuns(group: string): string {
  return `(SELECT COALESCE(sum(live), 0)::int FROM group_live_runs WHERE group_id = ${group})`;
}

/** How many rows the group holds against the limit, counting no further than `atMost` (an SQL integer). */
export function usageUpTo(name: RowCountedLimit, group: string, atMost: string): string {
  return `(SELECT count(*)::int FROM (
    SELECT 1 FROM ${COUNTED_ROWS[name](group)}
    LIMIT ${atMost}
  ) AS counted)`;
}

/** The group's value of the limit: its override in `groups.limits`, else `fallback` (the deployment's default). */
export function limitOf(name: GroupLimitName, group: string, fallback: string): string {
  return `COALESCE((SELECT (limits ->> '${name}')::int FROM groups WHERE id = ${group}), ${fallback})`;
}

function usage(name: GroupLimitName, group: string): string {
  return name === 'max_active_runs' ? liveRootRuns(group) : `(SELECT count(*)::int FROM ${COUNTED_ROWS[name](group)})`;
}

/** $1: a group id. One row: every limit's usage, under the limit's `usage` name. */
export const GROUP_USAGE = `SELECT
  ${GROUP_LIMITS.map((limit) => `${usage(limit.name, '$1::uuid')} AS ${limit.usage}`).join(',\n  ')}`;
