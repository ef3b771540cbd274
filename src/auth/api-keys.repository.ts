import { Injectable } from '@nestjs/common';
import type { ApiKey, ApiKeyRole } from '../generated/prisma/client.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Db } from '../common/audit-events.js';

export interface NewApiKey {
  name: string;
  hash: string;
  prefix: string;
  role: ApiKeyRole;
  defaultGroupId: string;
  groupIds: string[];
  expiresAt: Date | null;
}

/** Keys are not tenant data: only admin keys manage them, across every group. */
@Injectable()
export class ApiKeysRepository {
  constructor(private readonly prisma: PrismaService) {}

  findByHash(hash: string): Promise<ApiKey | null> {
    return this.prisma.apiKey.findUnique({ where: { hash } });
  }

  findById(id: string, db: Db = this.prisma): Promise<ApiKey | null> {
    return db.apiKey.findUnique({ where: { id } });
  }

  create(key: NewApiKey, db: Db = this.prisma): Promise<ApiKey> {
    return db.apiKey.create({ data: key });
  }

  async page(skip: number, take: number): Promise<{ items: ApiKey[]; total: number }> {
    const [items, total] = await this.prisma.$transaction([
      this.prisma.apiKey.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip, take }),
      this.prisma.apiKey.count(),
    ]);
    return { items, total };
  }

  /** The key as revoked now; null when it was revoked already (two revocations at once record one change). */
  async revoke(id: string, db: Db = this.prisma): Promise<ApiKey | null> {
    const { count } = await db.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
    return count > 0 ? db.apiKey.findUnique({ where: { id } }) : null;
  }

  /** Only writes when the stored time is older than `olderThan`, so frequent use costs no writes. */
  async touch(id: string, olderThan: Date): Promise<void> {
    await this.prisma.apiKey.updateMany({
      where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: olderThan } }] },
      data: { lastUsedAt: new Date() },
    });
  }
}
