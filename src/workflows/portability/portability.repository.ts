import { Injectable } from '@nestjs/common';
import type { Prisma, Schedule, Workflow, WorkflowVersion } from '../../generated/prisma/client.js';
import { PrismaService } from '../../database/prisma.service.js';
import { COUNT_GROUP_SCHEDULES, LOCK_GROUP_SCHEDULES } from '../../schedules/schedules.sql.js';
import type { ExistingWorkflow, WorkflowPlan } from './import-plan.js';

export interface ExportRows {
  workflow: Workflow;
  /** Oldest first. */
  versions: WorkflowVersion[];
  /** In creation order. */
  schedules: Schedule[];
}

/** A new schedule's first tick (null while disabled), computed by the caller from its cron. */
export type PlanWithTicks = WorkflowPlan & {
  newSchedules: (WorkflowPlan['newSchedules'][number] & { nextRunAt: Date | null })[];
};

const BY_CREATION = [{ createdAt: 'asc' as const }, { id: 'asc' as const }];

/** Reads and writes of export and import; every method takes the group first. */
@Injectable()
export class PortabilityRepository {
  constructor(private readonly prisma: PrismaService) {}

  async exportRows(groupId: string, workflowId: string): Promise<ExportRows | null> {
    const workflow = await this.prisma.workflow.findFirst({
      where: { id: workflowId, groupId, deletedAt: null },
      include: {
        versions: { orderBy: { number: 'asc' } },
        schedules: { orderBy: BY_CREATION },
      },
    });
    if (!workflow) return null;
    const { versions, schedules, ...row } = workflow;
    return { workflow: row, versions, schedules };
  }

  /** The slugs of the group's workflows `ids` (null when one has none), and the numbers of their versions. */
  async callNames(
    groupId: string,
    ids: string[],
  ): Promise<{ slugs: Map<string, string | null>; versionNumbers: Map<string, number> }> {
    const rows = await this.prisma.workflow.findMany({
      where: { id: { in: ids }, groupId, deletedAt: null },
      select: { id: true, slug: true, versions: { select: { id: true, number: true } } },
    });
    return {
      slugs: new Map(rows.map((row) => [row.id, row.slug])),
      versionNumbers: new Map(rows.flatMap((row) => row.versions.map((version) => [version.id, version.number]))),
    };
  }

  async existingBySlugs(groupId: string, slugs: string[]): Promise<Map<string, ExistingWorkflow>> {
    const rows = await this.prisma.workflow.findMany({
      where: { groupId, deletedAt: null, slug: { in: slugs } },
      include: { versions: { orderBy: { number: 'asc' } }, schedules: { orderBy: BY_CREATION } },
    });
    return new Map(
      rows.map((row) => [
        row.slug!,
        {
          id: row.id,
          slug: row.slug!,
          name: row.name,
          description: row.description,
          definition: row.definition,
          versions: row.versions,
          schedules: row.schedules.map((schedule) => ({
            id: schedule.id,
            cron: schedule.cron,
            timezone: schedule.timezone,
            workflowVersionId: schedule.workflowVersionId,
            input: schedule.input as Record<string, unknown>,
            callbackUrl: schedule.callbackUrl,
            enabled: schedule.enabled,
            metadata: schedule.metadata as Record<string, unknown>,
          })),
        },
      ]),
    );
  }

  /**
   * Writes every plan in one transaction, in their order. Schedules the plans add count against
   * the group's max_schedules (`defaultScheduleLimit` unless it overrides it): when they would pass
   * it, nothing is written and the answer is the limit and the group's schedules.
   */
  apply(
    groupId: string,
    authorKeyId: string,
    plans: PlanWithTicks[],
    defaultScheduleLimit: number,
  ): Promise<{ limit: number; current: number } | null> {
    return this.prisma.$transaction(async (tx) => {
      const added = plans.reduce((sum, plan) => sum + plan.newSchedules.length - plan.deletedScheduleIds.length, 0);
      if (added > 0) {
        await tx.$queryRawUnsafe(LOCK_GROUP_SCHEDULES, groupId);
        const [room] = await tx.$queryRawUnsafe<{ limit_value: number; current: number }[]>(
          COUNT_GROUP_SCHEDULES,
          groupId,
          defaultScheduleLimit,
        );
        if (room.current + added > room.limit_value) return { limit: room.limit_value, current: room.current };
      }
      for (const plan of plans) await applyPlan(tx, groupId, authorKeyId, plan);
      return null;
    });
  }
}

async function applyPlan(
  tx: Prisma.TransactionClient,
  groupId: string,
  authorKeyId: string,
  plan: PlanWithTicks,
): Promise<void> {
  const workflowId = plan.workflowId;
  const { write } = plan;
  const definition = write.definition as Prisma.InputJsonValue | undefined;
  if (plan.action === 'created') {
    await tx.workflow.create({
      data: {
        id: workflowId,
        groupId,
        slug: plan.slug,
        name: write.name!,
        description: write.description,
        definition: definition!,
      },
    });
  } else if (Object.keys(write).length > 0) {
    await tx.workflow.updateMany({
      where: { id: workflowId, groupId, deletedAt: null },
      data: { ...write, definition, revision: { increment: 1 } },
    });
  }
  for (const version of plan.newVersions) {
    await tx.workflowVersion.create({
      data: { ...version, definition: version.definition as Prisma.InputJsonValue, workflowId, authorKeyId },
    });
  }
  if (plan.deletedScheduleIds.length > 0) {
    await tx.schedule.deleteMany({ where: { id: { in: plan.deletedScheduleIds }, groupId, workflowId } });
  }
  for (const schedule of plan.newSchedules) {
    await tx.schedule.create({
      data: {
        groupId,
        workflowId,
        workflowVersionId: schedule.workflowVersionId,
        cron: schedule.cron,
        timezone: schedule.timezone,
        input: schedule.input as Prisma.InputJsonValue,
        callbackUrl: schedule.callbackUrl,
        enabled: schedule.enabled,
        metadata: schedule.metadata as Prisma.InputJsonValue,
        nextRunAt: schedule.nextRunAt,
      },
    });
  }
}
