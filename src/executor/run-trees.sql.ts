import { LIVE_RUN_STATUSES_SQL } from '../common/run-status.js';

/**
 * The statements of run trees (a root run and its child runs at every depth): the tree's lock, the
 * stop that marks a subtree, the check a child's insert makes, and how far a tree has grown.
 */

/**
 * A run tree's advisory lock (two-key form, so it shares no key with single-key locks): creating a
 * child takes it shared, a stop exclusive. A child is thus created either before a stop, which then
 * finds and marks it, or after, when it sees its stopped ancestor and is not created.
 */
const TREE_LOCK = (mode: 'shared' | 'exclusive', root: string) =>
  `SELECT pg_advisory_xact_lock${mode === 'shared' ? '_shared' : ''}(1381322318, ${treeLockKey(root)})`;
const treeLockKey = (root: string) => `hashtext(${root}::text)`;

/** The root of the group's run $1 ($2): itself, or the root its child row names. */
export const TREE_ROOT = `
  SELECT COALESCE(root_run_id, id) AS root FROM runs WHERE id = $1::uuid AND group_id = $2::uuid`;

export const LOCK_TREE_FOR_STOP = TREE_LOCK('exclusive', '$1');
export const LOCK_TREE_FOR_CHILD = TREE_LOCK('shared', '$1');

/**
 * The exclusive locks of the trees of the group's runs $1 ($2), taken in the order of their keys:
 * two bulk stops wait for each other instead of each holding a lock the other needs.
 */
export const LOCK_TREES_FOR_STOP = `
  SELECT pg_advisory_xact_lock(1381322318, key) FROM (
    SELECT DISTINCT ${treeLockKey('COALESCE(root_run_id, id)')} AS key
    FROM runs WHERE id = ANY($1::uuid[]) AND group_id = $2::uuid
    ORDER BY key
  ) AS trees`;

/**
 * Marks a stop request on the runs `asked` selects and on every unfinished run below them (finished
 * ones are passed through: a finished child's own children may still run). Returns the ids marked,
 * `asked` true for the runs selected themselves.
 */
const markStopping = (asked: string) => `
  WITH RECURSIVE asked AS (
    SELECT id FROM runs WHERE ${asked}
  ),
  tree AS (
    SELECT id FROM asked
    UNION ALL
    SELECT runs.id FROM runs JOIN tree ON runs.parent_run_id = tree.id
  )
  UPDATE runs SET stop_requested_at = COALESCE(stop_requested_at, now())
  WHERE id IN (SELECT id FROM tree) AND status IN (${LIVE_RUN_STATUSES_SQL})
  RETURNING id, id IN (SELECT id FROM asked) AS asked`;

/** Run $1 of group $2 and its subtree; on a finished run, what is left running below it. */
export const MARK_TREE_STOPPING = markStopping('id = $1::uuid AND group_id = $2::uuid');

/**
 * The live runs among $1 of group $2 that no stop was requested for, and their subtrees (a run
 * already asked to stop had its subtree marked then). Under LOCK_TREES_FOR_STOP no other stop
 * marks these trees meanwhile, so each run is counted as asked by one stop only.
 */
export const MARK_TREES_STOPPING = markStopping(
  `id = ANY($1::uuid[]) AND group_id = $2::uuid AND status IN (${LIVE_RUN_STATUSES_SQL}) AND stop_requested_at IS NULL`,
);

/**
 * Whether run $1 and every run above it is unfinished with no stop requested: a child run may be
 * created under it. Read under the tree's shared lock, in the child's insert transaction.
 */
export const ANCESTRY_LIVE = `
  WITH RECURSIVE up AS (
    SELECT id, parent_run_id, status, stop_requested_at FROM runs WHERE id = $1::uuid
    UNION ALL
    SELECT runs.id, runs.parent_run_id, runs.status, runs.stop_requested_at
    FROM runs JOIN up ON runs.id = up.parent_run_id
  )
  SELECT count(*) > 0 AND bool_and(status IN (${LIVE_RUN_STATUSES_SQL}) AND stop_requested_at IS NULL) AS live FROM up`;

/**
 * SQL that is true when a run above \`run\` (a runs row alias) has finished or was asked to stop:
 * the run must stop too. Only child runs have such runs; roots cost nothing.
 */
export function ancestorEnded(run: string): string {
  return `(${run}.parent_run_id IS NOT NULL AND EXISTS (
    WITH RECURSIVE up AS (
      SELECT a.id, a.parent_run_id, a.status, a.stop_requested_at FROM runs a WHERE a.id = ${run}.parent_run_id
      UNION ALL
      SELECT a.id, a.parent_run_id, a.status, a.stop_requested_at FROM runs a JOIN up ON a.id = up.parent_run_id
    )
    SELECT 1 FROM up WHERE up.status NOT IN (${LIVE_RUN_STATUSES_SQL}) OR up.stop_requested_at IS NOT NULL))`;
}

/** How many child runs a root's tree holds (every depth). */
export const DESCENDANT_COUNT = `SELECT count(*)::int AS descendants FROM runs WHERE root_run_id = $1::uuid`;
