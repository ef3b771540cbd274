import type { PoolClient } from 'pg';
import type { Prisma } from '../generated/prisma/client.js';
import { redact } from './redact.js';

/** Who made a change: an API key, the system (retention, a schedule), or a waiting node's resume link. */
export interface AuditActor {
  kind: 'api_key' | 'system' | 'resume_link';
  keyId: string | null;
}

export const SYSTEM_ACTOR: AuditActor = { kind: 'system', keyId: null };
export const RESUME_LINK_ACTOR: AuditActor = { kind: 'resume_link', keyId: null };

/** One change, before redaction. */
export interface AuditEntry {
  actor: AuditActor;
  groupId: string | null;
  /** `<target type>.<verb>`, e.g. `workflow.updated`. */
  action: string;
  targetType: string;
  targetId: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * The SELECT list an insert takes its rows from, as columns `e.*`: the entries of the jsonb array
 * in `parameter` (auditRows). Statements that know part of a row only in SQL (a count, an id)
 * build their own SELECT with these columns instead.
 */
export function auditRowsFrom(parameter: string): string {
  return `SELECT * FROM jsonb_to_recordset(${parameter}::jsonb) AS e(
    actor text, key_id uuid, group_id uuid, action text, target_type text, target_id text, before jsonb, after jsonb)`;
}

/**
 * Inserts the rows `rows` selects (columns actor, key_id, group_id, action, target_type, target_id,
 * before, after), each with its key's current name. Usable on its own or as a data-modifying CTE of
 * the statement that makes the change, so both commit together.
 */
export function insertAuditEvents(rows: string): string {
  return `INSERT INTO audit_events (actor, key_id, key_name, group_id, action, target_type, target_id, before, after)
    SELECT e.actor, e.key_id, k.name, e.group_id, e.action, e.target_type, e.target_id, e.before, e.after
    FROM (${rows}) AS e LEFT JOIN api_keys k ON k.id = e.key_id`;
}

const INSERT_AUDIT_EVENTS = insertAuditEvents(auditRowsFrom('$1'));

/** The entries as the jsonb parameter of auditRowsFrom, redacted. */
export function auditRows(entries: AuditEntry[]): string {
  return JSON.stringify(
    entries.map((entry) => ({
      actor: entry.actor.kind,
      key_id: entry.actor.keyId,
      group_id: entry.groupId,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      before: entry.before === undefined ? null : redact(entry.before),
      after: entry.after === undefined ? null : redact(entry.after),
    })),
  );
}

/** Records the entries in the Prisma transaction `tx`, so they commit (or roll back) with its change. */
export async function recordAudit(tx: Prisma.TransactionClient, entries: AuditEntry[]): Promise<void> {
  if (entries.length > 0) await tx.$executeRawUnsafe(INSERT_AUDIT_EVENTS, auditRows(entries));
}

/** `recordAudit` on a pg client inside its own BEGIN … COMMIT. */
export async function recordAuditOn(client: PoolClient, entries: AuditEntry[]): Promise<void> {
  if (entries.length > 0) await client.query(INSERT_AUDIT_EVENTS, [auditRows(entries)]);
}

/** A client that can make a change: the app's Prisma client, or a transaction of it. */
export type Db = Prisma.TransactionClient;

/**
 * Makes a change in one Prisma transaction with the audit rows `entries` derives from its result
 * (none: nothing changed, e.g. a 404), so the change and its record commit together or not at all.
 */
export function audited<T>(
  prisma: { $transaction<R>(work: (tx: Db) => Promise<R>): Promise<R> },
  change: (tx: Db) => Promise<T>,
  entries: (result: T) => AuditEntry[],
): Promise<T> {
  return prisma.$transaction(async (tx) => {
    const result = await change(tx);
    await recordAudit(tx, entries(result));
    return result;
  });
}
