import { Injectable } from '@nestjs/common';
import type { Group } from '../generated/prisma/client.js';
import { PrismaService } from '../database/prisma.service.js';

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

  async page(skip: number, take: number): Promise<{ items: Group[]; total: number }> {
    const [items, total] = await this.prisma.$transaction([
      this.prisma.group.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip, take }),
      this.prisma.group.count(),
    ]);
    return { items, total };
  }
}
