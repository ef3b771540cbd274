import { Injectable } from '@nestjs/common';
import type { Secret } from '../generated/prisma/client.js';
import { PrismaService } from '../database/prisma.service.js';
import type { SealedSecret } from './secret-cipher.js';

export type SecretListing = Pick<Secret, 'name' | 'createdAt' | 'updatedAt' | 'updatedByKeyId'>;
const LISTING = { name: true, createdAt: true, updatedAt: true, updatedByKeyId: true } as const;

@Injectable()
export class SecretsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Creates or replaces the value; `created` tells which. */
  async put(
    groupId: string,
    name: string,
    sealed: SealedSecret,
    keyId: string,
  ): Promise<{ secret: SecretListing; created: boolean }> {
    const now = new Date();
    const values = { ...bytes(sealed), updatedByKeyId: keyId, updatedAt: now };
    const secret = await this.prisma.secret.upsert({
      where: { groupId_name: { groupId, name } },
      create: { groupId, name, ...values, createdAt: now },
      update: values,
      select: LISTING,
    });
    return { secret, created: secret.createdAt.getTime() === now.getTime() };
  }

  async page(groupId: string, skip: number, take: number): Promise<{ items: SecretListing[]; total: number }> {
    const [items, total] = await this.prisma.$transaction([
      this.prisma.secret.findMany({ where: { groupId }, orderBy: { name: 'asc' }, skip, take, select: LISTING }),
      this.prisma.secret.count({ where: { groupId } }),
    ]);
    return { items, total };
  }

  async delete(groupId: string, name: string): Promise<boolean> {
    return (await this.prisma.secret.deleteMany({ where: { groupId, name } })).count > 0;
  }

  /** Which of `names` the group has secrets for (values stay sealed and unread). */
  async existingNames(groupId: string, names: string[]): Promise<Set<string>> {
    const rows = await this.prisma.secret.findMany({ where: { groupId, name: { in: names } }, select: { name: true } });
    return new Set(rows.map((row) => row.name));
  }

  sealed(groupId: string, names: string[]): Promise<(SealedSecret & { name: string })[]> {
    return this.prisma.secret.findMany({
      where: { groupId, name: { in: names } },
      select: { name: true, ciphertext: true, iv: true, authTag: true },
    });
  }
}

function bytes(sealed: SealedSecret) {
  return {
    ciphertext: Uint8Array.from(sealed.ciphertext),
    iv: Uint8Array.from(sealed.iv),
    authTag: Uint8Array.from(sealed.authTag),
  };
}
