import { Inject, Injectable } from '@nestjs/common';
import type { Prisma, Trigger } from '../generated/prisma/client.js';
import { PG_POOL, type PgPool } from '../database/database.tokens.js';
import { PrismaService } from '../database/prisma.service.js';
import { type GroupRoom, takeGroupRoom } from '../database/group-room.js';
import { audited, recordAudit, type AuditEntry } from '../common/audit-events.js';
import { FORGET_DELIVERY, PURGE_EXPIRED_DELIVERIES, RECORD_DELIVERY, TRIGGER_LIMIT } from './triggers.sql.js';

export type TriggerChanges = Partial<
  Pick<
    Trigger,
    | 'name'
    | 'mode'
    | 'inputMapping'
    | 'enabled'
    | 'callbackUrl'
    | 'tokenHash'
    | 'secretCiphertext'
    | 'secretIv'
    | 'secretAuthTag'
  >
> & { verification?: Prisma.InputJsonValue };

@Injectable()
export class TriggersRepository {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(PG_POOL) private readonly pool: PgPool,
  ) {}

  /**
   * Creates the trigger unless its group has max_triggers already (`defaultLimit` unless the group
   * overrides it), and records `audit` of it in the same transaction. Creations of one group take
   * turns (an advisory lock), so two at once cannot both pass the count.
   */
  createWithinLimit(
    data: Prisma.TriggerUncheckedCreateInput,
    defaultLimit: number,
    audit: (trigger: Trigger) => AuditEntry[],
  ): Promise<Trigger | GroupRoom> {
    return this.prisma.$transaction(async (tx) => {
      const room = await takeGroupRoom(tx, TRIGGER_LIMIT, data.groupId, defaultLimit);
      if (room.current >= room.limit) return room;
      const trigger = await tx.trigger.create({ data });
      await recordAudit(tx, audit(trigger));
      return trigger;
    });
  }

  /** The trigger of the group, if its workflow is not deleted. */
  find(groupId: string, id: string): Promise<Trigger | null> {
    return this.prisma.trigger.findFirst({ where: { id, groupId, workflow: { deletedAt: null } } });
  }

  /** The trigger a delivery's URL names, whatever its group: the token is the credential. */
  findByTokenHash(tokenHash: string): Promise<Trigger | null> {
    return this.prisma.trigger.findFirst({ where: { tokenHash, workflow: { deletedAt: null } } });
  }

  /** The workflow's triggers, newest first. */
  async page(groupId: string, workflowId: string, skip: number, take: number) {
    const where = { groupId, workflowId };
    const [items, total] = await this.prisma.$transaction([
      this.prisma.trigger.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip, take }),
      this.prisma.trigger.count({ where }),
    ]);
    return { items, total };
  }

  /** Changes the trigger, and records `audit` of the changed row in the same transaction. */
  update(id: string, changes: TriggerChanges, audit: (trigger: Trigger) => AuditEntry[]): Promise<Trigger> {
    return audited(
      this.prisma,
      (tx) => tx.trigger.update({ where: { id }, data: { ...changes, updatedAt: new Date() } }),
      audit,
    );
  }

  /** Deletes the trigger, and records `audit` of the deleted row in the same transaction; false: none. */
  async delete(groupId: string, id: string, audit: (trigger: Trigger) => AuditEntry[]): Promise<boolean> {
    const deleted = await audited(
      this.prisma,
      async (tx) => {
        const trigger = await tx.trigger.findFirst({ where: { id, groupId } });
        if (!trigger) return null;
        const { count } = await tx.trigger.deleteMany({ where: { id, groupId } });
        return count > 0 ? trigger : null;
      },
      (trigger) => (trigger ? audit(trigger) : []),
    );
    return deleted !== null;
  }

  /** Remembers the delivery id for `windowSeconds`; false when it is a replay inside its window. */
  async recordDelivery(triggerId: string, deliveryId: string, windowSeconds: number): Promise<boolean> {
    return (await this.pool.query(RECORD_DELIVERY, [triggerId, deliveryId, windowSeconds])).rows.length > 0;
  }

  async forgetDelivery(triggerId: string, deliveryId: string): Promise<void> {
    await this.pool.query(FORGET_DELIVERY, [triggerId, deliveryId]);
  }

  async markDelivered(triggerId: string): Promise<void> {
    await this.prisma.trigger.updateMany({ where: { id: triggerId }, data: { lastDeliveryAt: new Date() } });
  }

  /** Deletes up to `batch` delivery ids whose window has ended; how many it deleted. */
  async purgeExpiredDeliveries(batch: number): Promise<number> {
    return (await this.pool.query(PURGE_EXPIRED_DELIVERIES, [batch])).rowCount ?? 0;
  }
}
