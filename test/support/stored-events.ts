import { journalEvents, journalNodeRuns, NODE_RUN_COLUMNS } from '../../src/database/run-journal.sql.js';

/** Anything that runs a query: a pg Client or Pool. */
interface Queryable {
  query<Row extends object>(text: string, values?: unknown[]): Promise<{ rows: Row[] }>;
}

/** A stored event as run_events has it (id as text, as pg returns a bigint). */
export interface StoredEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
  created_at: Date;
}

/**
 * A run's events as stored, oldest first: its run_events rows, or its journal's (a finished pure
 * sync run is stored as one row, see src/executor/run-journal.ts). For checks of what was persisted.
 */
export async function storedEvents(db: Queryable, runId: string): Promise<StoredEvent[]> {
  const { rows } = await db.query<StoredEvent>(
    `SELECT id, type, data, created_at FROM run_events WHERE run_id = $1
     UNION ALL
     SELECT e.id, e.type, e.data, e.created_at FROM runs r, ${journalEvents('r')} AS e WHERE r.id = $1
     ORDER BY id`,
    [runId],
  );
  return rows;
}

/** A run's node runs as stored (rows or journal), by node id; columns as node_runs names them. */
export async function storedNodeRuns(db: Queryable, runId: string): Promise<Record<string, unknown>[]> {
  const columns = NODE_RUN_COLUMNS.map((column) => `n.${column}`).join(', ');
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT ${columns} FROM node_runs n WHERE n.run_id = $1
     UNION ALL
     SELECT ${columns} FROM runs r, ${journalNodeRuns('r')} AS n WHERE r.id = $1
     ORDER BY node_id`,
    [runId],
  );
  return rows;
}

/** How many rows the run has in node_runs and run_events (0 for a journaled run). */
export async function rowsOf(db: Queryable, runId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM node_runs WHERE run_id = $1) + (SELECT count(*) FROM run_events WHERE run_id = $1) AS n`,
    [runId],
  );
  return Number(rows[0].n);
}
