import { Injectable } from '@nestjs/common';
import type { Prisma, Workflow, WorkflowVersion } from '../generated/prisma/client.js';
import { PrismaService } from '../database/prisma.service.js';
import { recordAudit, type AuditEntry, type Db } from '../common/audit-events.js';

export interface WorkflowChanges {
  name?: string;
  description?: string | null;
  slug?: string | null;
  definition?: Prisma.InputJsonValue;
}

/** Filters of a page of workflows: an exact slug, and text in name, slug or description. */
export interface WorkflowFilter {
  slug?: string;
  q?: string;
}

/** A version with the name of the API key that made it (null when none is known). */
export type AuthoredVersion = WorkflowVersion & { authorKey: { name: string } | null };

const WITH_AUTHOR = { authorKey: { select: { name: true } } } as const;

/** Every method takes the group first: a query that forgets the workspace does not compile. */
@Injectable()
export class WorkflowsRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(
    groupId: string,
    data: Required<Pick<WorkflowChanges, 'name' | 'definition'>> & WorkflowChanges,
    db: Db = this.prisma,
  ): Promise<Workflow> {
    return db.workflow.create({ data: { ...data, groupId } });
  }

  find(groupId: string, id: string, db: Db = this.prisma): Promise<Workflow | null> {
    return db.workflow.findFirst({ where: { id, groupId, deletedAt: null } });
  }

  async page(
    groupId: string,
    filter: WorkflowFilter,
    skip: number,
    take: number,
  ): Promise<{ items: Workflow[]; total: number }> {
    const where: Prisma.WorkflowWhereInput = { groupId, deletedAt: null, slug: filter.slug };
    if (filter.q !== undefined) {
      const contains = { contains: likeLiteral(filter.q), mode: 'insensitive' as const };
      where.OR = [{ name: contains }, { slug: contains }, { description: contains }];
    }
    const [items, total] = await this.prisma.$transaction([
      this.prisma.workflow.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip, take }),
      this.prisma.workflow.count({ where }),
    ]);
    return { items, total };
  }

  /**
   * Applies changes and bumps the revision, only if the workflow is still at `expectedRevision`
   * (when given). Returns null when nothing matched.
   */
  async update(
    groupId: string,
    id: string,
    changes: WorkflowChanges,
    expectedRevision?: number,
    db: Db = this.prisma,
  ): Promise<Workflow | null> {
    const where = {
      id,
      groupId,
      deletedAt: null,
      ...(expectedRevision === undefined ? {} : { revision: expectedRevision }),
    };
    const { count } = await db.workflow.updateMany({
      where,
      data: { ...changes, revision: { increment: 1 } },
    });
    return count === 0 ? null : this.find(groupId, id, db);
  }

  /** Pins a run input (or none, with null) without touching the revision: it is no change to what runs. */
  async setSampleInput(
    groupId: string,
    id: string,
    input: Prisma.InputJsonValue | null,
    db: Db = this.prisma,
  ): Promise<boolean> {
    const json = input === null ? null : JSON.stringify(input);
    const count = await db.$executeRaw`
      UPDATE workflows SET sample_input = ${json}::json
      WHERE id = ${id}::uuid AND group_id = ${groupId}::uuid AND deleted_at IS NULL`;
    return count > 0;
  }

  async softDelete(groupId: string, id: string, db: Db = this.prisma): Promise<boolean> {
    const { count } = await db.workflow.updateMany({
      where: { id, groupId, deletedAt: null },
      data: { deletedAt: new Date() },
    });
    return count > 0;
  }

  /**
   * Snapshots the draft as the next numbered version, made by the key `authorKeyId`; the row lock
   * keeps numbers gap- and duplicate-free. `audit` describes the new version for the audit log, in
   * the same transaction.
   */
  createVersion(
    groupId: string,
    workflowId: string,
    authorKeyId: string,
    build: (workflow: Workflow, number: number) => { name: string; description: string | null },
    audit: (version: AuthoredVersion) => AuditEntry[],
  ): Promise<AuthoredVersion | null> {
    return this.prisma.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM workflows WHERE id = ${workflowId}::uuid AND group_id = ${groupId}::uuid AND deleted_at IS NULL FOR UPDATE`;
      if (locked.length === 0) return null;
      const workflow = await tx.workflow.findUniqueOrThrow({ where: { id: workflowId } });
      const last = await tx.workflowVersion.aggregate({ where: { workflowId }, _max: { number: true } });
      const number = (last._max.number ?? 0) + 1;
      const version = await tx.workflowVersion.create({
        data: {
          workflowId,
          number,
          definition: workflow.definition as Prisma.InputJsonValue,
          authorKeyId,
          ...build(workflow, number),
        },
        include: WITH_AUTHOR,
      });
      await recordAudit(tx, audit(version));
      return version;
    });
  }

  async versionPage(
    groupId: string,
    workflowId: string,
    skip: number,
    take: number,
  ): Promise<{ items: AuthoredVersion[]; total: number }> {
    const where = { workflowId, workflow: { groupId, deletedAt: null } };
    const [items, total] = await this.prisma.$transaction([
      this.prisma.workflowVersion.findMany({ where, orderBy: { number: 'desc' }, skip, take, include: WITH_AUTHOR }),
      this.prisma.workflowVersion.count({ where }),
    ]);
    return { items, total };
  }

  findVersion(groupId: string, workflowId: string, versionId: string): Promise<AuthoredVersion | null> {
    return this.prisma.workflowVersion.findFirst({
      where: { id: versionId, workflowId, workflow: { groupId, deletedAt: null } },
      include: WITH_AUTHOR,
    });
  }
}

/** `text` for a LIKE pattern, its wildcards matched as plain characters (Prisma's `contains` passes them on). */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
