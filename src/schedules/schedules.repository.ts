import { Inject, Injectable } from '@nestjs/common';
import type { Prisma, Schedule } from '../generated/prisma/client.js';
import { PG_POOL, type PgPool } from '../database/database.tokens.js';
import { PrismaService } from '../database/prisma.service.js';
import { type GroupRoom, takeGroupRoom } from '../database/group-room.js';
import { audited, recordAudit, type AuditEntry } from '../common/audit-events.js';
import { decodeRow, jsonParameter } from '../database/sql-columns.js';
import { SCHEDULE_COLUMNS } from './schedule-row.js';
import { DUE_FIELDS, SCHEDULE_LIMIT, MOVE_SCHEDULES_ON, RUN_FOR_TICK, TAKE_DUE_SCHEDULES } from './schedules.sql.js';

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

/** A tick's outcome, written while the schedule row is still locked. */
export interface TickOutcome {
  nextRunAt: Date | null;
  lastRunId?: string;
  lastError: string | null;
  enabled: boolean;
}

export type ScheduleChanges = Partial<
  Pick<Schedule, 'workflowVersionId' | 'cron' | 'timezone' | 'callbackUrl' | 'enabled' | 'nextRunAt'>
> & { input?: Prisma.InputJsonValue; metadata?: Prisma.InputJsonValue };

@Injectable()
export class SchedulesRepository {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(PG_POOL) private readonly pool: PgPool,
  ) {}

  /**
   * Creates the schedule unless its group has max_schedules already (`defaultLimit` unless the
   * group overrides it). Creations of one group take turns (a transaction-scoped advisory lock), so
   * two at once cannot both pass the count. `audit` describes the new schedule for the audit log,
   * in the same transaction.
   */
  createWithinLimit(
    data: Prisma.ScheduleUncheckedCreateInput,
    defaultLimit: number,
    audit: (schedule: Schedule) => AuditEntry[],
  ): Promise<Schedule | GroupRoom> {
    return this.prisma.$transaction(async (tx) => {
      const room = await takeGroupRoom(tx, SCHEDULE_LIMIT, data.groupId, defaultLimit);
      if (room.current >= room.limit) return room;
      const schedule = await tx.schedule.create({ data });
      await recordAudit(tx, audit(schedule));
      return schedule;
    });
  }

  find(groupId: string, workflowId: string, id: string): Promise<Schedule | null> {
    return this.prisma.schedule.findFirst({ where: { id, groupId, workflowId } });
  }

  /** The group's schedules, newest first: of one workflow, or (workflowId undefined) of every workflow not deleted. */
  async page(
    groupId: string,
    workflowId: string | undefined,
    skip: number,
    take: number,
  ): Promise<{ items: Schedule[]; total: number }> {
    const where = { groupId, workflowId, workflow: { deletedAt: null } };
    const [items, total] = await this.prisma.$transaction([
      this.prisma.schedule.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip, take }),
      this.prisma.schedule.count({ where }),
    ]);
    return { items, total };
  }

  /** Changes the schedule, and records `audit` of the changed row in the same transaction. */
  update(id: string, changes: ScheduleChanges, audit: (schedule: Schedule) => AuditEntry[]): Promise<Schedule> {
    return audited(
      this.prisma,
      (tx) => tx.schedule.update({ where: { id }, data: { ...changes, updatedAt: new Date() } }),
      audit,
    );
  }

  /** Deletes the schedule, and records `audit` of the deleted row in the same transaction; false: none. */
  async delete(
    groupId: string,
    workflowId: string,
    id: string,
    audit: (schedule: Schedule) => AuditEntry[],
  ): Promise<boolean> {
    const deleted = await audited(
      this.prisma,
      async (tx) => {
        const schedule = await tx.schedule.findFirst({ where: { id, groupId, workflowId } });
        if (!schedule) return null;
        const { count } = await tx.schedule.deleteMany({ where: { id, groupId, workflowId } });
        return count > 0 ? schedule : null;
      },
      (schedule) => (schedule ? audit(schedule) : []),
    );
    return deleted !== null;
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
      const due = await client.query(TAKE_DUE_SCHEDULES, [limit, defaultTickLimit]);
      const outcomes: (TickOutcome & { id: string })[] = [];
      for (const row of due.rows) outcomes.push({ id: row.id as string, ...(await fire(toDueSchedule(row))) });
      if (outcomes.length > 0) {
        await client.query(MOVE_SCHEDULES_ON, [
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
    const result = await this.pool.query<{ id: string }>(RUN_FOR_TICK, [scheduleId, tick]);
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
