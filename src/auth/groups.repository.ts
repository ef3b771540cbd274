import { Injectable } from '@nestjs/common';
import type { Group } from '../generated/prisma/client.js';
import type { GroupLimitName } from '../config/group-limits.js';
import { GROUP_USAGE } from '../database/group-usage.sql.js';
import { PrismaService } from '../database/prisma.service.js';
import type { GroupUsage } from './dto/group-limits.dto.js';

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

  create(name: string, webhookSecret: string): Promise<Group> {
    return this.prisma.group.create({ data: { name, webhookSecret } });
  }

  /**
   * Sets some of the group's own limits and removes others (back to the defaults) in one statement,
   * so two admins changing different limits at once both keep their change. False: no such group.
   */
  async changeLimits(
    id: string,
    set: Partial<Record<GroupLimitName, number>>,
    reset: GroupLimitName[],
  ): Promise<boolean> {
    const changed = await this.prisma.$executeRaw`
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
