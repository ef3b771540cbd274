import { Inject, Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { Run } from '../generated/prisma/client.js';
import { PG_POOL, type PgPool } from '../database/database.tokens.js';
import { recordAuditOn, type AuditEntry } from '../common/audit-events.js';
import { rowToRun } from './run-row.js';
import type { NodeRunRecord, RunEventRecord } from './run-records.js';
import { insertRunParameters } from './runs.repository.js';
import { CHILD_RUNS, INSERT_RUN, RETRIED_CHILD_RUNS, STOP_UNHELD_RUNS } from './runs.sql.js';
import {
  ANCESTRY_LIVE,
  DESCENDANT_COUNT,
  LOCK_TREE_FOR_CHILD,
  LOCK_TREE_FOR_STOP,
  LOCK_TREES_FOR_STOP,
  MARK_TREE_STOPPING,
  MARK_TREES_STOPPING,
  TREE_ROOT,
} from './run-trees.sql.js';

/** A child run as its parent finds it again: which node attempt and item started it. */
export interface ChildRunRow {
  run: Run;
  attempt: number;
  itemIndex: number | null;
}

/** A run a stop marked: `asked` when the stop named it, not one of its descendants. */
export interface MarkedRun {
  id: string;
  asked: boolean;
}

/**
 * Run trees (a root run and its child runs at every depth): creating a child under the tree's lock,
 * finding a node's children again, counting a tree, and stopping a subtree.
 */
@Injectable()
export class RunTreesRepository {
  constructor(@Inject(PG_POOL) private readonly pool: PgPool) {}

  /**
   * Inserts a child run (not queued: its parent's instance executes it) under the tree's shared
   * lock, if its parent and every run above are unfinished with no stop requested. `exists` when the
   * parent already has this child; `ancestor-ended` when it may not be created.
   */
  async insertChild(
    run: Run,
    events: RunEventRecord[],
    nodes?: NodeRunRecord[],
  ): Promise<'inserted' | 'exists' | 'ancestor-ended'> {
    return this.inTransaction(async (client) => {
      await client.query(LOCK_TREE_FOR_CHILD, [run.rootRunId]);
      const ancestry = await client.query<{ live: boolean }>(ANCESTRY_LIVE, [run.parentRunId]);
      if (!ancestry.rows[0].live) return 'ancestor-ended';
      const inserted = await client.query<{ inserted: number }>(
        INSERT_RUN,
        insertRunParameters(run, events, false, nodes),
      );
      return inserted.rows[0].inserted === 1 ? 'inserted' : 'exists';
    });
  }

  /** The child runs a node of this run started, over all its attempts. */
  async childrenOf(parentRunId: string, nodeId: string): Promise<ChildRunRow[]> {
    return this.childRows(await this.pool.query(CHILD_RUNS, [parentRunId, nodeId]));
  }

  /** The completed children the node had in the runs that `runId` retries, nearest retry first. */
  async retriedChildrenOf(runId: string, nodeId: string): Promise<ChildRunRow[]> {
    return this.childRows(await this.pool.query(RETRIED_CHILD_RUNS, [runId, nodeId]));
  }

  private childRows(result: { rows: Record<string, unknown>[] }): ChildRunRow[] {
    return result.rows.map((row) => {
      const run = rowToRun(row);
      return { run, attempt: run.parentAttempt!, itemIndex: run.parentItemIndex };
    });
  }

  /** How many child runs the tree of `rootRunId` holds, at every depth. */
  async descendantCount(rootRunId: string): Promise<number> {
    return (await this.pool.query<{ descendants: number }>(DESCENDANT_COUNT, [rootRunId])).rows[0].descendants;
  }

  /**
   * Marks a stop request on the group's run and every unfinished run below it, under the tree's
   * exclusive lock (see LOCK_TREE_FOR_STOP); returns the ids marked, none when the run is finished
   * or not found. `audit` (a stop asked through the API) is recorded in the same transaction when
   * the run itself was marked.
   */
  async markTreeStopping(
    groupId: string,
    runId: string,
    audit?: (marked: string[]) => AuditEntry[],
  ): Promise<string[]> {
    return this.inTransaction(async (client) => {
      const root = (await client.query<{ root: string }>(TREE_ROOT, [runId, groupId])).rows[0]?.root;
      if (!root) return [];
      await client.query(LOCK_TREE_FOR_STOP, [root]);
      const marked = (await client.query<MarkedRun>(MARK_TREE_STOPPING, [runId, groupId])).rows.map((row) => row.id);
      if (audit && marked.includes(runId)) await recordAuditOn(client, audit(marked));
      return marked;
    });
  }

  /**
   * Marks a stop request on the group's runs among `runIds` that are live and not yet asked to
   * stop, and on every unfinished run below them, under their trees' exclusive locks; returns the
   * runs marked, `asked` for those of `runIds`. `audit` is recorded in the same transaction when
   * any was asked.
   */
  async markTreesStopping(
    groupId: string,
    runIds: string[],
    audit?: (marked: MarkedRun[]) => AuditEntry[],
  ): Promise<MarkedRun[]> {
    return this.inTransaction(async (client) => {
      await client.query(LOCK_TREES_FOR_STOP, [runIds, groupId]);
      const marked = (await client.query<MarkedRun>(MARK_TREES_STOPPING, [runIds, groupId])).rows;
      if (audit && marked.some((run) => run.asked)) await recordAuditOn(client, audit(marked));
      return marked;
    });
  }

  /** Stops the runs among `runIds` that nobody executes (queued, or their holder died). */
  async stopUnheld(runIds: string[]): Promise<Run[]> {
    if (runIds.length === 0) return [];
    return (await this.pool.query(STOP_UNHELD_RUNS, [runIds])).rows.map(rowToRun);
  }

  private async inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
