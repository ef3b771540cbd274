import { Injectable } from '@nestjs/common';
import type { Secret } from '../generated/prisma/client.js';
import { PrismaService } from '../database/prisma.service.js';
import { audited, type AuditEntry } from '../common/audit-events.js';
import type { SealedSecret } from './secret-cipher.js';

export type SecretListing = Pick<Secret, 'name' | 'createdAt' | 'updatedAt' | 'updatedByKeyId'>;
const LISTING = { name: true, createdAt: true, updatedAt: true, updatedByKeyId: true } as const;

@Injectable()
export class SecretsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Creates or replaces the value; `created` tells which. The audit row (secret.created or
   * secret.updated, by key `keyId`) names the secret, never its value.
   */
  async put(
    groupId: string,
    name: string,
    sealed: SealedSecret,
    keyId: string,
  ): Promise<{ secret: SecretListing; created: boolean }> {
    const now = new Date();
    const values = { ...bytes(sealed), updatedByKeyId: keyId, updatedAt: now };
    const secret = await audited(
      this.prisma,
      (tx) =>
        tx.secret.upsert({
          where: { groupId_name: { groupId, name } },
          create: { groupId, name, ...values, createdAt: now },
          update: values,
          select: LISTING,
        }),
      (written) => [
        secretEntry(keyId, groupId, name, written.createdAt.getTime() === now.getTime() ? 'created' : 'updated'),
      ],
    );
    return { secret, created: secret.createdAt.getTime() === now.getTime() };
  }

  async page(groupId: string, skip: number, take: number): Promise<{ items: SecretListing[]; total: number }> {
    const [items, total] = await this.prisma.$transaction([
      this.prisma.secret.findMany({ where: { groupId }, orderBy: { name: 'asc' }, skip, take, select: LISTING }),
      this.prisma.secret.count({ where: { groupId } }),
    ]);
    return { items, total };
  }

  async delete(groupId: string, name: string, keyId: string): Promise<boolean> {
    return audited(
      this.prisma,
      async (tx) => (await tx.secret.deleteMany({ where: { groupId, name } })).count > 0,
      (deleted) => (deleted ? [secretEntry(keyId, groupId, name, 'deleted')] : []),
    );
  }

  /** Which of `names` the group has secrets for (values stay sealed and unread). */
  async existingNames(groupId: string, names: string[]): Promise<Set<string>> {
    const rows = await this.prisma.secret.findMany({ where: { groupId, name: { in: names } }, select: { name: true } });
    return new Set(rows.map((row) => row.name));
  }

  sealed(groupId: string, names: readonly string[]): Promise<(SealedSecret & { name: string })[]> {
    return this.prisma.secret.findMany({
      where: { groupId, name: { in: [...names] } },
      select: { name: true, ciphertext: true, iv: true, authTag: true },
    });
  }
}

function secretEntry(keyId: string, groupId: string, name: string, verb: string): AuditEntry {
  return {
    actor: { kind: 'api_key', keyId },
    groupId,
    action: `secret.${verb}`,
    targetType: 'secret',
    targetId: name,
    after: verb === 'deleted' ? undefined : { name },
  };
}

function bytes(sealed: SealedSecret) {
  return {
    ciphertext: Uint8Array.from(sealed.ciphertext),
    iv: Uint8Array.from(sealed.iv),
    authTag: Uint8Array.from(sealed.authTag),
  };
}
