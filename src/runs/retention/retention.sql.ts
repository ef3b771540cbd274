import { FINISHED_RUN_STATUSES_SQL } from '../../common/run-status.js';
import { journalLength } from '../../database/run-journal.sql.js';

/**
 * Deletes up to $4 finished runs (those given by id and group, or all finished before $3) with
 * their node runs, events and callback attempts (ON DELETE CASCADE), counting each kind first.
 * A journaled run's node runs and events count as the rows they would have been.
 * Rows another transaction holds (a callback attempt being written) are skipped, never waited for.
 */
export const PURGE_RUNS = `
  WITH doomed AS (
    SELECT id, ${journalLength('runs', 'nodes')} AS journal_nodes, ${journalLength('runs', 'events')} AS journal_events
    FROM runs
    WHERE status IN (${FINISHED_RUN_STATUSES_SQL}) AND finished_at < $3
      AND ($1::uuid IS NULL OR id = $1::uuid) AND ($2::uuid IS NULL OR group_id = $2::uuid)
    ORDER BY finished_at LIMIT $4
    FOR UPDATE SKIP LOCKED
  ),
  counted AS (
    SELECT
      ((SELECT count(*) FROM node_runs WHERE run_id IN (SELECT id FROM doomed))
        + (SELECT COALESCE(sum(journal_nodes), 0) FROM doomed))::int AS node_runs,
      ((SELECT count(*) FROM run_events WHERE run_id IN (SELECT id FROM doomed))
        + (SELECT COALESCE(sum(journal_events), 0) FROM doomed))::int AS run_events,
      (SELECT count(*) FROM webhook_deliveries WHERE run_id IN (SELECT id FROM doomed))::int AS callback_attempts
  ),
  deleted AS (
    DELETE FROM runs WHERE id IN (SELECT id FROM doomed) RETURNING id
  )
  SELECT (SELECT count(*) FROM deleted)::int AS runs, counted.* FROM counted`;

/** Frees up to $2 Idempotency-Keys whose window ended before $1. */
export const PURGE_IDEMPOTENCY_KEYS = `
  WITH expired AS (
    SELECT id FROM runs WHERE idempotency_key IS NOT NULL AND created_at < $1
    LIMIT $2 FOR UPDATE SKIP LOCKED
  )
  UPDATE runs SET idempotency_key = NULL, request_hash = NULL FROM expired WHERE runs.id = expired.id`;
