import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL, type PgPool } from '../database/database.tokens.js';
import type { RunPosition } from '../runs/run-cursor.js';

/** What GET /v1/audit selects by; every filter given must match. */
export interface AuditFilter {
  action?: string;
  actionPrefix?: string;
  targetType?: string;
  targetId?: string;
  keyId?: string;
  /** Inclusive. */
  since?: Date;
  /** Exclusive. */
  until?: Date;
}

export interface AuditEventRow {
  id: string;
  created_at: Date;
  actor: string;
  key_id: string | null;
  key_name: string | null;
  group_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

type Parameter = (value: unknown, type: string) => string;

const CONDITIONS: { [Field in keyof AuditFilter]-?: (value: NonNullable<AuditFilter[Field]>, p: Parameter) => string } =
  {
    action: (action, p) => `action = ${p(action, 'text')}`,
    actionPrefix: (prefix, p) => `starts_with(action, ${p(prefix, 'text')})`,
    targetType: (type, p) => `target_type = ${p(type, 'text')}`,
    targetId: (id, p) => `target_id = ${p(id, 'text')}`,
    keyId: (id, p) => `key_id = ${p(id, 'uuid')}`,
    since: (at, p) => `created_at >= ${p(at, 'timestamptz')}`,
    until: (at, p) => `created_at < ${p(at, 'timestamptz')}`,
  };

/**
 * The group's audit events matching `filter`, newest first, `limit` of them after `after` (a
 * keyset on (created_at, id), which the index audit_events_group_id_created_at_id_idx walks).
 */
export function auditStatement(
  groupId: string,
  filter: AuditFilter,
  limit: number,
  after?: RunPosition,
): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const p: Parameter = (value, type) => `$${values.push(value)}::${type}`;
  const where = [`group_id = ${p(groupId, 'uuid')}`];
  for (const field of Object.keys(CONDITIONS) as (keyof AuditFilter)[]) {
    const value = filter[field];
    if (value !== undefined) where.push((CONDITIONS[field] as (value: unknown, p: Parameter) => string)(value, p));
  }
  if (after) where.push(`(created_at, id) < (${p(after.createdAt, 'timestamptz')}, ${p(after.id, 'uuid')})`);
  const text =
    'SELECT id, created_at, actor, key_id, key_name, group_id, action, target_type, target_id, before, after ' +
    `FROM audit_events WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ${p(limit, 'int')}`;
  return { text, values };
}

/** Reads of the audit log (its rows are written by the changes themselves: audit-event.ts). */
@Injectable()
export class AuditRepository {
  constructor(@Inject(PG_POOL) private readonly pool: PgPool) {}

  async page(groupId: string, filter: AuditFilter, limit: number, after?: RunPosition): Promise<AuditEventRow[]> {
    return (await this.pool.query<AuditEventRow>(auditStatement(groupId, filter, limit, after))).rows;
  }
}
