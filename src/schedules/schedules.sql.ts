import { limitOf, usageUpTo } from '../database/group-usage.sql.js';
import { columnList } from '../database/sql-columns.js';
import { SCHEDULE_COLUMNS } from './schedule-row.js';

/** The columns TAKE_DUE_SCHEDULES reads: what a tick needs. */
export const DUE_FIELDS = [
  'id',
  'groupId',
  'workflowId',
  'workflowVersionId',
  'cron',
  'timezone',
  'input',
  'callbackUrl',
  'metadata',
  'nextRunAt',
] as const;

/**
 * Due schedules, fairly between groups: each is ranked among its group's due schedules (oldest
 * tick first) and the batch takes every group's first before any group's second, so a group with
 * two hundred due schedules cannot fill the batch ahead of another group's one.
 *
 * `within_rate` says whether the tick fits the group's max_schedule_ticks_per_minute ($2, the
 * deployment's default, unless the group overrides it): the runs its schedules started in the
 * last minute plus this tick's rank among its due ones stay within the limit.
 *
 * The conditions are repeated on `schedules` itself so that a row another instance moved on while
 * this statement waited for its lock is re-checked and left out. NO KEY UPDATE: the scheduled
 * run's insert takes KEY SHARE on this row (its schedule_id foreign key) from another connection,
 * which a plain FOR UPDATE would make wait for us forever.
 */
export const TAKE_DUE_SCHEDULES = `
  WITH due AS (
    SELECT id AS due_id, group_id AS due_group, next_run_at AS due_at,
      row_number() OVER (PARTITION BY group_id ORDER BY next_run_at, id) AS due_rank
    FROM schedules WHERE enabled AND next_run_at <= now()
  ),
  taken AS (SELECT * FROM due ORDER BY due_rank, due_at LIMIT $1),
  tick_limits AS (
    SELECT due_group AS tick_group, ${limitOf('max_schedule_ticks_per_minute', 'due_group', '$2::int')} AS tick_limit
    FROM (SELECT DISTINCT due_group FROM taken) AS groups_taken
  ),
  ticked AS (
    SELECT tick_group, tick_limit, ${usageUpTo('max_schedule_ticks_per_minute', 'tick_group', 'tick_limit')} AS recent_ticks
    FROM tick_limits
  )
  SELECT ${columnList(SCHEDULE_COLUMNS, DUE_FIELDS)}, tick_limit, recent_ticks,
    due_rank <= tick_limit - recent_ticks AS within_rate
  FROM schedules JOIN taken ON due_id = id JOIN ticked ON tick_group = group_id
  WHERE enabled AND next_run_at <= now()
  ORDER BY due_rank, due_at
  FOR NO KEY UPDATE OF schedules SKIP LOCKED`;

/**
 * Writes a batch's outcomes (a JSON array) in one statement, just before its commit. Setting
 * last_run_id takes KEY SHARE on the new run (the foreign key): taken per tick in the middle of a
 * batch, that lock made the run's own writes (FOR UPDATE of its row) wait for the whole batch,
 * holding their pooled connections while the batch waited for one to start its next run.
 */
export const MOVE_SCHEDULES_ON = `
  UPDATE schedules SET next_run_at = o.next_run_at, last_run_id = COALESCE(o.last_run_id, schedules.last_run_id),
    last_error = o.last_error, enabled = o.enabled, updated_at = now()
  FROM jsonb_to_recordset($1::jsonb)
    AS o(id uuid, next_run_at timestamptz, last_run_id uuid, last_error text, enabled boolean)
  WHERE schedules.id = o.id`;

/** The run an earlier attempt at schedule $1's tick $2 created (it crashed before moving the schedule on). */
export const RUN_FOR_TICK = 'SELECT id FROM runs WHERE schedule_id = $1 AND scheduled_for = $2';

/**
 * Makes schedule creations of group $1 take turns until the transaction ends, so two at once cannot
 * both pass COUNT_GROUP_SCHEDULES.
 */
export const LOCK_GROUP_SCHEDULES = `SELECT 1 FROM pg_advisory_xact_lock(hashtext('runloom:schedules:' || $1))`;

const MAX_SCHEDULES = limitOf('max_schedules', '$1::uuid', '$2::int');

/**
 * Group $1's max_schedules (`limit_value`: its override, else $2, the deployment's default) and
 * its schedules, counted up to that limit (`current`).
 */
export const COUNT_GROUP_SCHEDULES = `
  SELECT ${MAX_SCHEDULES} AS limit_value,
    ${usageUpTo('max_schedules', '$1::uuid', MAX_SCHEDULES)} AS current`;

/** Creating schedules within max_schedules (takeGroupRoom). */
export const SCHEDULE_LIMIT = { lock: LOCK_GROUP_SCHEDULES, count: COUNT_GROUP_SCHEDULES };
