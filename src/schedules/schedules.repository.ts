import { Inject, Injectable } from '@nestjs/common';
import type { Prisma, Schedule } from '../generated/prisma/client.js';
import { PG_POOL, type PgPool } from '../database/database.tokens.js';
import { PrismaService } from '../database/prisma.service.js';
import { limitOf, usageUpTo } from '../database/group-usage.sql.js';
import { columnList, decodeRow, jsonParameter } from '../database/sql-columns.js';
import { SCHEDULE_COLUMNS } from './schedule-row.js';

/** The columns DUE reads: what a tick needs. */
const DUE_FIELDS = [
  'id',
  'groupId',
  'workflowId',
  'workflowVersionId',
  'cron',
  'timezone',
  'input',
  'callbackUrl',
  'nextRunAt',
] as const;

/** A due schedule; `tick` is its next_run_at. */
export type DueSchedule = Omit<Pick<Schedule, (typeof DUE_FIELDS)[number]>, 'input' | 'nextRunAt'> & {
  /** Always an object: the schedule's input was checked to be one when it was saved. */
  input: Record<string, unknown>;
  tick: Date;
  /**
   * Whether this tick fits the group's max_schedule_ticks_per_minute (`limit`), given the runs its
   * schedules started in the last minute (`ticks`).
   */
  rate: { withinRate: boolean; limit: number; ticks: number };
};

/** A schedule creation its group's max_schedules refused: the group's limit and its schedules. */
export interface SchedulesRefused {
  limit: number;
  current: number;
}

/** A tick's outcome, written while the schedule row is still locked. */
export interface TickOutcome {
  nextRunAt: Date | null;
  lastRunId?: string;
  lastError: string | null;
  enabled: boolean;
}

export type ScheduleChanges = Partial<
  Pick<Schedule, 'workflowVersionId' | 'cron' | 'timezone' | 'callbackUrl' | 'enabled' | 'nextRunAt'>
> & { input?: Prisma.InputJsonValue };

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
const DUE = `
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
const MOVE_ON = `
  UPDATE schedules SET next_run_at = o.next_run_at, last_run_id = COALESCE(o.last_run_id, schedules.last_run_id),
    last_error = o.last_error, enabled = o.enabled, updated_at = now()
  FROM jsonb_to_recordset($1::jsonb)
    AS o(id uuid, next_run_at timestamptz, last_run_id uuid, last_error text, enabled boolean)
  WHERE schedules.id = o.id`;

@Injectable()
export class SchedulesRepository {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(PG_POOL) private readonly pool: PgPool,
  ) {}

  /**
   * Creates the schedule unless its group has max_schedules already (`defaultLimit` unless the
   * group overrides it). Creations of one group take turns (a transaction-scoped advisory lock), so
   * two at once cannot both pass the count.
   */
  createWithinLimit(
    data: Prisma.ScheduleUncheckedCreateInput,
    defaultLimit: number,
  ): Promise<Schedule | SchedulesRefused> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM pg_advisory_xact_lock(hashtext('runloom:schedules:' || ${data.groupId}))`;
      const limit = limitOf('max_schedules', '$1::uuid', '$2::int');
      const [room] = await tx.$queryRawUnsafe<{ limit_value: number; current: number }[]>(
        `SELECT ${limit} AS limit_value, ${usageUpTo('max_schedules', '$1::uuid', limit)} AS current`,
        data.groupId,
        defaultLimit,
      );
      if (room.current >= room.limit_value) return { limit: room.limit_value, current: room.current };
      return tx.schedule.create({ data });
    });
  }

  find(groupId: string, workflowId: string, id: string): Promise<Schedule | null> {
    return this.prisma.schedule.findFirst({ where: { id, groupId, workflowId } });
  }

  async page(
    groupId: string,
    workflowId: string,
    skip: number,
    take: number,
  ): Promise<{ items: Schedule[]; total: number }> {
    const where = { groupId, workflowId };
    const [items, total] = await this.prisma.$transaction([
      this.prisma.schedule.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip, take }),
      this.prisma.schedule.count({ where }),
    ]);
    return { items, total };
  }

  update(id: string, changes: ScheduleChanges): Promise<Schedule> {
    return this.prisma.schedule.update({ where: { id }, data: { ...changes, updatedAt: new Date() } });
  }

  async delete(groupId: string, workflowId: string, id: string): Promise<boolean> {
    return (await this.prisma.schedule.deleteMany({ where: { id, groupId, workflowId } })).count > 0;
  }

  /**
   * Locks up to `limit` due schedules (skipping ones another instance holds) and hands each to
   * `fire`, writing its outcome before the lock is released: an instance that looks next sees the
   * schedule's new next_run_at, so a tick is taken exactly once.
   */
  async takeDue(
    limit: number,
    defaultTickLimit: number,
    fire: (schedule: DueSchedule) => Promise<TickOutcome>,
  ): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const due = await client.query(DUE, [limit, defaultTickLimit]);
      const outcomes: (TickOutcome & { id: string })[] = [];
      for (const row of due.rows) outcomes.push({ id: row.id as string, ...(await fire(toDueSchedule(row))) });
      if (outcomes.length > 0) {
        await client.query(MOVE_ON, [
          jsonParameter(
            outcomes.map((outcome) => ({
              id: outcome.id,
              next_run_at: outcome.nextRunAt,
              last_run_id: outcome.lastRunId ?? null,
              last_error: outcome.lastError,
              enabled: outcome.enabled,
            })),
          ),
        ]);
      }
      await client.query('COMMIT');
      return due.rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** The run an earlier attempt at this tick created (it crashed before moving the schedule on). */
  async runForTick(scheduleId: string, tick: Date): Promise<string | undefined> {
    const result = await this.pool.query<{ id: string }>(
      'SELECT id FROM runs WHERE schedule_id = $1 AND scheduled_for = $2',
      [scheduleId, tick],
    );
    return result.rows[0]?.id;
  }
}

function toDueSchedule(row: Record<string, unknown>): DueSchedule {
  const { input, nextRunAt, ...schedule } = decodeRow(SCHEDULE_COLUMNS, row, DUE_FIELDS);
  const rate = {
    withinRate: row.within_rate as boolean,
    limit: row.tick_limit as number,
    ticks: row.recent_ticks as number,
  };
  return { ...schedule, input: input as Record<string, unknown>, tick: nextRunAt!, rate };
}
