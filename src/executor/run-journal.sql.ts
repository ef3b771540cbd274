import { NODE_RUN_RECORD_COLUMNS, RUN_EVENT_RECORD_COLUMNS } from './run-records.js';
import { JOURNAL_EVENT_COLUMNS, JOURNAL_NODE_COLUMNS } from './run-journal.js';

type NodeRunColumn = (typeof NODE_RUN_RECORD_COLUMNS)[keyof typeof NODE_RUN_RECORD_COLUMNS];
type RunEventColumn = (typeof RUN_EVENT_RECORD_COLUMNS)[keyof typeof RUN_EVENT_RECORD_COLUMNS];

/** Each node_runs column's type, to read it out of a journal as the table stores it. */
const NODE_RUN_TYPES: Record<NodeRunColumn, string> = {
  node_id: 'text',
  node_type: 'text',
  status: '"NodeRunStatus"',
  inputs: 'jsonb',
  outputs: 'jsonb',
  error: 'jsonb',
  attempt: 'int',
  started_at: 'timestamptz',
  finished_at: 'timestamptz',
  duration_ms: 'int',
  attempts: 'jsonb',
  waiting_until: 'timestamptz',
  waiting_for: 'text',
  resume_token_hash: 'text',
  reused_from: 'uuid',
};

const RUN_EVENT_TYPES: Record<RunEventColumn, string> = { type: 'text', data: 'jsonb', created_at: 'timestamptz' };

/** Every node_runs column the recorder writes, in the order the expansions below give them. */
export const NODE_RUN_COLUMNS: readonly NodeRunColumn[] = Object.values(NODE_RUN_RECORD_COLUMNS);

/**
 * Element `index` of a journal array as a column of `type`. A value goes through jsonb as a row's
 * does (jsonb_populate_recordset writes the rows): the same key order and numbers come back, and
 * JSON null is SQL NULL.
 */
function element(array: string, index: number, type: string): string {
  return type === 'jsonb' ? `NULLIF((${array} -> ${index})::jsonb, 'null')` : `(${array} ->> ${index})::${type}`;
}

/**
 * A LATERAL subquery (alias it) with the node runs of the journal of `run` (a `runs` alias), one
 * row each, with run_id and every column of NODE_RUN_COLUMNS: what `node_runs` holds for a run
 * that has rows. None for a run without a journal.
 */
export function journalNodeRuns(run: string): string {
  const columns = NODE_RUN_COLUMNS.map((column) => {
    const index = (JOURNAL_NODE_COLUMNS as readonly string[]).indexOf(column);
    const type = NODE_RUN_TYPES[column];
    return `${index < 0 ? `NULL::${type}` : element('journal_node.value', index, type)} AS ${column}`;
  });
  return `LATERAL (
      SELECT ${run}.id AS run_id, ${columns.join(', ')}
      FROM json_array_elements(${run}.journal -> 'nodes') AS journal_node
    )`;
}

/**
 * A LATERAL subquery (alias it) with the events of the journal of `run`, as `run_events` rows (id,
 * run_id, type, data, created_at): the n-th has the id journal_first_event_id + n - 1.
 */
export function journalEvents(run: string): string {
  const columns = JOURNAL_EVENT_COLUMNS.map(
    (column, index) => `${element('journal_event.value', index, RUN_EVENT_TYPES[column])} AS ${column}`,
  );
  return `LATERAL (
      SELECT ${run}.journal_first_event_id + journal_event.ordinality - 1 AS id, ${run}.id AS run_id, ${columns.join(', ')}
      FROM json_array_elements(${run}.journal -> 'events') WITH ORDINALITY AS journal_event
    )`;
}

/** How many node runs (`'nodes'`) or events (`'events'`) the journal of `run` holds; 0 without one. */
export function journalLength(run: string, part: 'nodes' | 'events'): string {
  return `COALESCE(json_array_length(${run}.journal -> '${part}'), 0)`;
}
