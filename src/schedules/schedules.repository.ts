import { Inject, Injectable } from '@nestjs/common';
import type { Prisma, Schedule } from '../generated/prisma/client.js';
import { PG_POOL, type PgPool } from '../database/database.tokens.js';
import { PrismaService } from '../database/prisma.service.js';
import { limitOf, usageUpTo } from '../database/group-usage.sql.js';
import { columnList, decodeRow } from '../database/sql-columns.js';
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

// NO KEY UPDATE: the scheduled run's insert takes KEY SHARE on this row (its schedule_id foreign
// key) from another connection, which a plain FOR UPDATE would make wait for us forever.
const DUE = `
  SELECT ${columnList(SCHEDULE_COLUMNS, DUE_FIELDS)}
  FROM schedules WHERE enabled AND next_run_at <= now()
  ORDER BY next_run_at LIMIT $1 FOR NO KEY UPDATE SKIP LOCKED`;

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
  async takeDue(limit: number, fire: (schedule: DueSchedule) => Promise<TickOutcome>): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const due = await client.query(DUE, [limit]);
      for (const row of due.rows) {
        const outcome = await fire(toDueSchedule(row));
        await client.query(
          `UPDATE schedules SET next_run_at = $2, last_run_id = COALESCE($3::uuid, last_run_id), last_error = $4,
             enabled = $5, updated_at = now() WHERE id = $1`,
          [row.id, outcome.nextRunAt, outcome.lastRunId ?? null, outcome.lastError, outcome.enabled],
        );
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
  return { ...schedule, input: input as Record<string, unknown>, tick: nextRunAt! };
}
