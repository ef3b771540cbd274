import { Injectable } from '@nestjs/common';
import type { Group } from '../generated/prisma/client.js';
import type { GroupLimitName } from '../config/group-limits.js';
import { LIVE_RUN_STATUSES_SQL } from '../common/run-status.js';
import { GROUP_USAGE } from '../database/group-usage.sql.js';
import { PrismaService } from '../database/prisma.service.js';
import { audited, recordAudit, type AuditEntry, type Db } from '../common/audit-events.js';
import { isUniqueViolation } from '../database/transient-errors.js';
import type { GroupHoldings } from './dto/group-holdings.dto.js';
import type { GroupUsage } from './dto/group-limits.dto.js';

/** What a group holds, by kind; `api_keys` counts the usable keys whose default group it is. */
const GROUP_HOLDINGS = `SELECT
  (SELECT count(*)::int FROM workflows WHERE group_id = $1::uuid AND deleted_at IS NULL) AS workflows,
  (SELECT count(*)::int FROM runs WHERE group_id = $1::uuid) AS runs,
  (SELECT count(*)::int FROM runs WHERE group_id = $1::uuid AND status IN (${LIVE_RUN_STATUSES_SQL})) AS active_runs,
  (SELECT count(*)::int FROM schedules WHERE group_id = $1::uuid) AS schedules,
  (SELECT count(*)::int FROM secrets WHERE group_id = $1::uuid) AS secrets,
  (SELECT count(*)::int FROM api_keys
    WHERE default_group_id = $1::uuid AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())) AS api_keys`;

/** Whether a group could be deleted, and what deleting it did to API keys. */
export type GroupDeletion =
  | { outcome: 'not-found' }
  | { outcome: 'refused'; holdings: GroupHoldings }
  | { outcome: 'deleted'; changedKeyIds: string[] };

const DELETE_TIMEOUT_MS = 120_000;

@Injectable()
export class GroupsRepository {
  constructor(private readonly prisma: PrismaService) {}

  findById(id: string): Promise<Group | null> {
    return this.prisma.group.findUnique({ where: { id } });
  }

  findByIds(ids: string[]): Promise<Group[]> {
    return this.prisma.group.findMany({ where: { id: { in: ids } }, orderBy: { name: 'asc' } });
  }

  async existingIds(ids: string[]): Promise<Set<string>> {
    const rows = await this.prisma.group.findMany({ where: { id: { in: ids } }, select: { id: true } });
    return new Set(rows.map((row) => row.id));
  }

  /** Undefined: another group has the name (regardless of case). `audit` is recorded with the new group. */
  create(name: string, webhookSecret: string, audit: (group: Group) => AuditEntry[]): Promise<Group | undefined> {
    return unlessNameTaken(audited(this.prisma, (tx) => tx.group.create({ data: { name, webhookSecret } }), audit));
  }

  /**
   * Renames the group and changes its limits (changeLimits) in one transaction with the audit rows
   * `audit` derives from the group before and after. Null: no such group; undefined: another group
   * has the name (regardless of case).
   */
  update(
    id: string,
    name: string | undefined,
    limits: { set: Partial<Record<GroupLimitName, number>>; reset: GroupLimitName[] } | undefined,
    audit: (before: Group, after: Group) => AuditEntry[],
  ): Promise<Group | null | undefined> {
    return unlessNameTaken(
      this.prisma.$transaction(async (tx) => {
        // Locked, so `before` is what this change changed, however many admins change the group at once.
        const locked = await tx.$queryRaw<unknown[]>`SELECT 1 FROM groups WHERE id = ${id}::uuid FOR UPDATE`;
        if (locked.length === 0) return null;
        const before = await tx.group.findUniqueOrThrow({ where: { id } });
        if (name !== undefined) await tx.group.update({ where: { id }, data: { name } });
        if (limits) await this.changeLimits(id, limits.set, limits.reset, tx);
        const after = await tx.group.findUniqueOrThrow({ where: { id } });
        await recordAudit(tx, audit(before, after));
        return after;
      }),
    );
  }

  /**
   * Deletes the group and everything it holds in one transaction, unless `refuse` says no to what
   * it holds. The group's row is locked first, so no run, workflow or secret can be added to it
   * meanwhile. Runs go with their node runs, events, signals and callbacks (ON DELETE CASCADE);
   * workflows (deleted ones too) with their versions. Keys whose default group it is are revoked,
   * and keys that may act in it lose it from `group_ids`.
   */
  deleteGroup(
    id: string,
    refuse: (holdings: GroupHoldings) => boolean,
    audit: (group: Group, holdings: GroupHoldings) => AuditEntry[],
  ): Promise<GroupDeletion> {
    return this.prisma.$transaction(
      async (tx) => {
        const locked = await tx.$queryRaw<unknown[]>`SELECT 1 FROM groups WHERE id = ${id}::uuid FOR UPDATE`;
        if (locked.length === 0) return { outcome: 'not-found' };
        const group = await tx.group.findUniqueOrThrow({ where: { id } });
        const [holdings] = await tx.$queryRawUnsafe<GroupHoldings[]>(GROUP_HOLDINGS, id);
        if (refuse(holdings)) return { outcome: 'refused', holdings };
        await tx.schedule.deleteMany({ where: { groupId: id } });
        await tx.run.deleteMany({ where: { groupId: id } });
        await tx.workflowVersion.deleteMany({ where: { workflow: { groupId: id } } });
        await tx.workflow.deleteMany({ where: { groupId: id } });
        await tx.secret.deleteMany({ where: { groupId: id } });
        const revoked = await tx.$queryRaw<{ id: string }[]>`
          UPDATE api_keys SET revoked_at = now()
          WHERE default_group_id = ${id}::uuid AND revoked_at IS NULL RETURNING id`;
        const narrowed = await tx.$queryRaw<{ id: string }[]>`
          UPDATE api_keys SET group_ids = array_remove(group_ids, ${id}::uuid)
          WHERE ${id}::uuid = ANY (group_ids) RETURNING id`;
        await tx.group.delete({ where: { id } });
        await recordAudit(tx, audit(group, holdings));
        return { outcome: 'deleted', changedKeyIds: [...new Set([...revoked, ...narrowed].map((key) => key.id))] };
      },
      // A group with many runs takes a while to delete; nothing else waits on it but its own writers.
      { timeout: DELETE_TIMEOUT_MS },
    );
  }

  /**
   * Sets some of the group's own limits and removes others (back to the defaults) in one statement,
   * so two admins changing different limits at once both keep their change. False: no such group.
   */
  async changeLimits(
    id: string,
    set: Partial<Record<GroupLimitName, number>>,
    reset: GroupLimitName[],
    db: Db = this.prisma,
  ): Promise<boolean> {
    const changed = await db.$executeRaw`
      UPDATE groups SET limits = (limits || ${JSON.stringify(set)}::jsonb) - ${reset}::text[] WHERE id = ${id}::uuid`;
    return changed > 0;
  }

  /** What the group holds now against each of its limits. */
  async usage(id: string): Promise<GroupUsage> {
    const [usage] = await this.prisma.$queryRawUnsafe<GroupUsage[]>(GROUP_USAGE, id);
    return usage;
  }

  async page(skip: number, take: number): Promise<{ items: Group[]; total: number }> {
    const [items, total] = await this.prisma.$transaction([
      this.prisma.group.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip, take }),
      this.prisma.group.count(),
    ]);
    return { items, total };
  }
}

async function unlessNameTaken<T>(write: Promise<T>): Promise<T | undefined> {
  try {
    return await write;
  } catch (error) {
    if (isUniqueViolation(error)) return undefined;
    throw error;
  }
}
