import { GROUP_LIMITS, type GroupLimitName } from '../config/group-limits.js';

/**
 * What each per-group limit (config/group-limits.ts) counts, as the rows of the group `group` (an
 * SQL expression) held against it. The predicates match the partial indexes of the migration
 * `group_limits`, so a count reads only the rows it counts.
 */
const COUNTED_ROWS: Record<GroupLimitName, (group: string) => string> = {
  max_active_runs: (group) =>
    // Live runs (LIVE_RUN_STATUSES_SQL in common/run-status.ts, which this folder does not import).
    `runs WHERE group_id = ${group} AND status IN ('queued', 'running', 'waiting') AND parent_run_id IS NULL`,
  max_schedules: (group) => `schedules WHERE group_id = ${group}`,
  max_triggers: (group) => `triggers WHERE group_id = ${group}`,
  max_schedule_ticks_per_minute: (group) =>
    `runs WHERE group_id = ${group} AND scheduled_for IS NOT NULL AND created_at > now() - interval '1 minute'`,
};

/** How many rows the group holds against the limit, counting no further than `atMost` (an SQL integer). */
export function usageUpTo(name: GroupLimitName, group: string, atMost: string): string {
  return `(SELECT count(*)::int FROM (
    SELECT 1 FROM ${COUNTED_ROWS[name](group)}
    LIMIT ${atMost}
  ) AS counted)`;
}

/** The group's value of the limit: its override in `groups.limits`, else `fallback` (the deployment's default). */
export function limitOf(name: GroupLimitName, group: string, fallback: string): string {
  return `COALESCE((SELECT (limits ->> '${name}')::int FROM groups WHERE id = ${group}), ${fallback})`;
}

/** $1: a group id. One row: every limit's usage, under the limit's `usage` name. */
export const GROUP_USAGE = `SELECT
  ${GROUP_LIMITS.map(
    (limit) => `(SELECT count(*)::int FROM ${COUNTED_ROWS[limit.name]('$1::uuid')}) AS ${limit.usage}`,
  ).join(',\n  ')}`;
