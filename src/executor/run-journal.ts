import type { Run } from '../generated/prisma/client.js';
import { JOURNAL_EVENT_COLUMNS, JOURNAL_MAX_EVENTS, JOURNAL_NODE_COLUMNS } from '../database/run-journal.sql.js';
import type { NodeRunRecord, RunEventRecord } from './run-records.js';

/** A run's node runs and events as stored in `runs.journal`: positional arrays, without repeated keys. */
export interface RunJournal {
  nodes: unknown[][];
  events: unknown[][];
}

/**
 * Escapes that `json` stores but `jsonb` refuses (NUL, a lone UTF-16 surrogate): a journal is read
 * back through jsonb, so a run with one keeps its rows, whose write refuses it as it always did,
 * instead of storing a journal that could not be read.
 */
const NOT_JSONB = /\\u(?:0000|d[89a-f])/i;

/**
 * The journal of a run being written for the first time, or undefined when it must have rows. A
 * pending run (PendingRun: a pure sync run, written when it finishes) is journaled when its first
 * write is also its last: it finished in its request, so nobody could follow it while it ran and
 * nobody will write to it again. It keeps its rows when
 * - it has not finished: later flushes update its node runs and add events;
 * - it runs for a debugger session: the session's stream is woken by the run_events trigger and
 *   reads the full node values from node_runs;
 * - it has more events than one block of ids (JOURNAL_MAX_EVENTS);
 * - a node run has a column the journal does not keep (cannot happen for a pending run; checked
 *   so that such a record is never silently cut);
 * - a value holds what jsonb refuses (NOT_JSONB).
 * The journal comes as its JSON text (a RunJournal), the parameter the insert sends.
 */
export function journalFor(
  run: Pick<Run, 'debugger'>,
  finished: boolean,
  nodes: readonly NodeRunRecord[],
  events: readonly RunEventRecord[],
): string | undefined {
  if (!finished || run.debugger !== null || events.length > JOURNAL_MAX_EVENTS) return undefined;
  if (nodes.some(hasUnjournaledColumn)) return undefined;
  const journal: RunJournal = {
    nodes: nodes.map((node) => JOURNAL_NODE_COLUMNS.map((column) => node[column])),
    events: events.map((event) => JOURNAL_EVENT_COLUMNS.map((column) => event[column])),
  };
  const text = JSON.stringify(journal);
  // The scan is for `\u`, which JSON.stringify writes for control characters and lone surrogates
  // (and a `\` before a `u`): most journals have none, and includes() is 40 times faster than the scan.
  return text.includes('\\u') && NOT_JSONB.test(text) ? undefined : text;
}

function hasUnjournaledColumn(node: NodeRunRecord): boolean {
  return [node.waiting_until, node.waiting_for, node.resume_token_hash, node.reused_from].some(
    (value) => value !== null && value !== undefined,
  );
}
