import { Inject, Injectable } from '@nestjs/common';
import type { Run, RunStatus } from '../generated/prisma/client.js';
import { PG_POOL, type PgPool } from '../database/database.tokens.js';
import { columnList, decodeRow, fieldsWithout } from '../database/sql-columns.js';
import { RUN_COLUMNS } from '../executor/run-row.js';
import type { RunPosition } from './run-cursor.js';
import type { RunMetadata } from './run-metadata.js';

/** What a search selects by (GET /v1/runs, POST /v1/runs/stop); every filter given must match. */
export interface RunFilter {
  statuses?: readonly RunStatus[];
  workflowId?: string;
  /** Inclusive. */
  createdAfter?: Date;
  /** Exclusive. */
  createdBefore?: Date;
  finishedAfter?: Date;
  finishedBefore?: Date;
  scheduleId?: string;
  triggerId?: string;
  parentRunId?: string;
  rootRunId?: string;
  retryOf?: string;
  /** Containment: the run's metadata has each of these pairs. */
  metadata?: RunMetadata;
}

export function hasFilter(filter: RunFilter): boolean {
  return Object.values(filter).some((value) => value !== undefined);
}

/** A run as a search lists it: every column but the definition it executed (large, and not shown). */
export type ListedRun = Omit<Run, 'definition'>;
const LISTED_FIELDS = fieldsWithout(RUN_COLUMNS, ['definition']);

/** Adds a parameter to the statement and answers its placeholder, cast to `type`. */
type Parameter = (value: unknown, type: string) => string;

/**
 * Each filter's condition. Every one is an indexed column compared with a constant, so the planner
 * can serve each from an index (prisma/migrations/*_run_search_indexes, docs/run-semantics.md).
 */
const CONDITIONS: { [Field in keyof RunFilter]-?: (value: NonNullable<RunFilter[Field]>, p: Parameter) => string } = {
  // One status is an equality, which (group_id, status, created_at, id) returns in order.
  statuses: (statuses, p) =>
    statuses.length === 1
      ? `status = ${p(statuses[0], '"RunStatus"')}`
      : `status = ANY(${p(statuses, '"RunStatus"[]')})`,
  workflowId: (id, p) => `workflow_id = ${p(id, 'uuid')}`,
  createdAfter: (at, p) => `created_at >= ${p(at, 'timestamptz')}`,
  createdBefore: (at, p) => `created_at < ${p(at, 'timestamptz')}`,
  finishedAfter: (at, p) => `finished_at >= ${p(at, 'timestamptz')}`,
  finishedBefore: (at, p) => `finished_at < ${p(at, 'timestamptz')}`,
  scheduleId: (id, p) => `schedule_id = ${p(id, 'uuid')}`,
  // runs_trigger_id_created_at_id_idx holds only runs a trigger started (WHERE trigger_id IS NOT NULL).
  triggerId: (id, p) => `trigger_id = ${p(id, 'uuid')}`,
  parentRunId: (id, p) => `parent_run_id = ${p(id, 'uuid')}`,
  rootRunId: (id, p) => `root_run_id = ${p(id, 'uuid')}`,
  retryOf: (id, p) => `retry_of = ${p(id, 'uuid')}`,
  // The GIN index runs_metadata_idx holds only runs with metadata (WHERE metadata <> '{}'); the
  // planner uses a partial index only when the query states its predicate, which containment of a
  // non-empty object implies but does not say.
  metadata: (pairs, p) => `metadata @> ${p(JSON.stringify(pairs), 'jsonb')} AND metadata <> '{}'`,
};

export interface SearchPage {
  limit: number;
  /** Start after this position (the previous page's last run). */
  after?: RunPosition;
  /** Only runs no stop was requested for (POST /v1/runs/stop). */
  stopNotRequested?: boolean;
  /** `positions`: only `id` and `created_at`. */
  columns?: 'listed' | 'positions';
}

/**
 * The statement a search sends: the group's runs matching `filter`, newest first, `page.limit` of
 * them from `page.after` on (a keyset: the position is compared as a row, which the indexes'
 * trailing (created_at, id) serve, so a page costs the same however deep it is). Only the filters
 * given become conditions, so each statement is planned for exactly what it asks.
 */
export function searchStatement(
  groupId: string,
  filter: RunFilter,
  page: SearchPage,
): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const p: Parameter = (value, type) => `$${values.push(value)}::${type}`;
  const where = [`group_id = ${p(groupId, 'uuid')}`];
  for (const field of Object.keys(CONDITIONS) as (keyof RunFilter)[]) {
    const value = filter[field];
    if (value !== undefined) where.push((CONDITIONS[field] as (value: unknown, p: Parameter) => string)(value, p));
  }
  if (page.stopNotRequested) where.push('stop_requested_at IS NULL');
  if (page.after)
    where.push(`(created_at, id) < (${p(page.after.createdAt, 'timestamptz')}, ${p(page.after.id, 'uuid')})`);
  const columns = page.columns === 'positions' ? 'id, created_at' : columnList(RUN_COLUMNS, LISTED_FIELDS);
  const text = `SELECT ${columns} FROM runs WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ${p(page.limit, 'int')}`;
  return { text, values };
}

/** Runs of a group by filter, newest first, a page at a time. */
@Injectable()
export class RunSearch {
  constructor(@Inject(PG_POOL) private readonly pool: PgPool) {}

  async runs(groupId: string, filter: RunFilter, limit: number, after?: RunPosition): Promise<ListedRun[]> {
    const { rows } = await this.pool.query(searchStatement(groupId, filter, { limit, after }));
    return rows.map((row: Record<string, unknown>) => decodeRow(RUN_COLUMNS, row, LISTED_FIELDS));
  }

  /** The positions of matching runs no stop was requested for yet. */
  async positionsToStop(
    groupId: string,
    filter: RunFilter,
    limit: number,
    after?: RunPosition,
  ): Promise<RunPosition[]> {
    const statement = searchStatement(groupId, filter, { limit, after, stopNotRequested: true, columns: 'positions' });
    const { rows } = await this.pool.query<{ id: string; created_at: Date }>(statement);
    return rows.map((row) => ({ id: row.id, createdAt: row.created_at }));
  }
}
