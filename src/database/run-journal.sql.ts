/**
 * How a journal (runs.journal: a finished pure sync run's node runs and events, stored in its row,
 * see the migration run_journals and src/executor/run-journal.ts) is laid out, and the SQL that
 * reads it back as the rows node_runs and run_events would hold. Here, below the folders that
 * write journals (executor) and read them (runs, run-events), so both take it from one place.
 */

/**
 * The most events a journal holds: the block of ids one nextval of run_events_id_seq reserves (the
 * sequence steps by this much, see the migration run_journals). A run with more keeps its rows.
 */
export const JOURNAL_MAX_EVENTS = 64;

/**
 * The node run columns a journal keeps, in the order of each node's array. The others (a wait's
 * columns, `reused_from`) are never set on a run that may be journaled; read from a journal they
 * are NULL.
 */
export const JOURNAL_NODE_COLUMNS = [
  'node_id',
  'node_type',
  'status',
  'inputs',
  'outputs',
  'error',
  'attempt',
  'started_at',
  'finished_at',
  'duration_ms',
  'attempts',
] as const;

/** The event columns a journal keeps, in the order of each event's array; an event's id is its place. */
export const JOURNAL_EVENT_COLUMNS = ['type', 'data', 'created_at'] as const;

/**
 * Every node_runs column the recorder writes (NODE_RUN_RECORD_COLUMNS of src/executor/run-records.ts,
 * in its order; run-journal.spec.ts holds them equal), with its type, to read it out of a journal
 * as the table stores it.
 */
const NODE_RUN_TYPES = {
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
} as const satisfies Record<string, string>;

type NodeRunColumn = keyof typeof NODE_RUN_TYPES;

const RUN_EVENT_TYPES = { type: 'text', data: 'jsonb', created_at: 'timestamptz' } as const satisfies Record<
  (typeof JOURNAL_EVENT_COLUMNS)[number],
  string
>;

/** The node_runs columns the expansion below gives, besides run_id. */
export const NODE_RUN_COLUMNS = Object.keys(NODE_RUN_TYPES) as NodeRunColumn[];

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
