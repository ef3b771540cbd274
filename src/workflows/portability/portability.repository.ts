import { Injectable } from '@nestjs/common';
import type { Prisma, Schedule, Workflow, WorkflowVersion } from '../../generated/prisma/client.js';
import { PrismaService } from '../../database/prisma.service.js';
import { SCHEDULE_LIMIT } from '../../schedules/schedules.sql.js';
import { takeGroupRoom } from '../../database/group-room.js';
import { recordAudit, type AuditEntry } from '../../common/audit-events.js';
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

/** A bundle of 200 workflows with their versions is written well within this. */
const IMPORT_TIMEOUT_MS = 60_000;

/** Imports of group $1 take turns until the transaction ends. */
const LOCK_GROUP_IMPORTS = `SELECT 1 FROM pg_advisory_xact_lock(hashtext('runloom:imports:' || $1))`;

/** Holds off other writes (PATCH, new versions, which lock the row too) to workflows $1 until the transaction ends. */
const LOCK_WORKFLOWS = 'SELECT id FROM workflows WHERE id = ANY($1::uuid[]) FOR UPDATE';

export type ApplyOutcome =
  | { outcome: 'written' }
  /** Another request changed one of the workflows after the plan was made from them. */
  | { outcome: 'changed-meanwhile' }
  | { outcome: 'over-schedule-limit'; limit: number; current: number };

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

  existingBySlugs(groupId: string, slugs: string[]): Promise<Map<string, ExistingWorkflow>> {
    return readExisting(this.prisma, groupId, slugs);
  }

  /**
   * Writes every plan in one transaction, in their order, if the group's workflows are still
   * `planned` (what the plans were made from): imports of a group take turns, and the workflows
   * they change are locked against other writes first. Schedules the plans add count against the
   * group's max_schedules (`defaultScheduleLimit` unless it overrides it). Nothing is written when
   * the answer is not `written`.
   */
  apply(
    groupId: string,
    authorKeyId: string,
    plans: PlanWithTicks[],
    planned: ReadonlyMap<string, ExistingWorkflow>,
    defaultScheduleLimit: number,
  ): Promise<ApplyOutcome> {
    return this.prisma.$transaction(
      async (tx) => {
        await tx.$queryRawUnsafe(LOCK_GROUP_IMPORTS, groupId);
        const ids = [...planned.values()].map((workflow) => workflow.id);
        await tx.$queryRawUnsafe(LOCK_WORKFLOWS, ids);
        const current = await readExisting(tx, groupId, [...planned.keys()]);
        if (JSON.stringify([...current]) !== JSON.stringify([...planned])) return { outcome: 'changed-meanwhile' };
        const added = plans.reduce((sum, plan) => sum + plan.newSchedules.length - plan.deletedScheduleIds.length, 0);
        if (added > 0) {
          const room = await takeGroupRoom(tx, SCHEDULE_LIMIT, groupId, defaultScheduleLimit);
          if (room.current + added > room.limit) return { outcome: 'over-schedule-limit', ...room };
        }
        for (const plan of plans) await applyPlan(tx, groupId, authorKeyId, plan);
        await recordAudit(
          tx,
          plans.filter((plan) => plan.action !== 'unchanged').map((plan) => importEntry(groupId, authorKeyId, plan)),
        );
        return { outcome: 'written' };
      },
      { timeout: IMPORT_TIMEOUT_MS },
    );
  }
}

/** The audit row of one workflow an import created or changed: what the import's answer lists for it. */
function importEntry(groupId: string, authorKeyId: string, plan: PlanWithTicks): AuditEntry {
  return {
    actor: { kind: 'api_key', keyId: authorKeyId },
    groupId,
    action: plan.action === 'created' ? 'workflow.created' : 'workflow.updated',
    targetType: 'workflow',
    targetId: plan.workflowId,
    after: {
      via: 'import',
      slug: plan.slug,
      fields: Object.keys(plan.write),
      new_versions: plan.newVersions.map((version) => version.number),
      schedules_created: plan.newSchedules.length,
      schedules_deleted: plan.deletedScheduleIds,
      changes: plan.changes,
    },
  };
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

/** The group's live workflows with these slugs, with their versions and schedules, by slug. */
async function readExisting(
  client: Prisma.TransactionClient,
  groupId: string,
  slugs: string[],
): Promise<Map<string, ExistingWorkflow>> {
  const rows = await client.workflow.findMany({
    where: { groupId, deletedAt: null, slug: { in: slugs } },
    include: { versions: { orderBy: { number: 'asc' } }, schedules: { orderBy: BY_CREATION } },
    orderBy: { slug: 'asc' },
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
        versions: row.versions.map(({ id, number, name, description, definition }) => ({
          id,
          number,
          name,
          description,
          definition,
        })),
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
