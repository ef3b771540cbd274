import { FINISHED_RUN_STATUSES_SQL } from '../../common/run-status.js';
import { journalLength } from '../../database/run-journal.sql.js';
import { insertAuditEvents } from '../../common/audit-events.js';

/**
 * Deletes up to $4 finished runs (those given by id and group, or all finished before $3) with
 * their node runs, events and callback attempts (ON DELETE CASCADE), counting each kind first.
 * A journaled run's node runs and events count as the rows they would have been.
 * Rows another transaction holds (a callback attempt being written) are skipped, never waited for.
 *
 * The same statement writes the audit log (a data-modifying CTE, so the deletion and its record
 * commit together): `run.deleted` by actor $5 (key $6) for a run deleted by id, else one
 * `retention.purged` row per group with what the batch deleted of it.
 */
export const PURGE_RUNS = `
  WITH doomed AS (
    SELECT id, group_id, workflow_id, status, created_at, finished_at,
      ${journalLength('runs', 'nodes')} AS journal_nodes, ${journalLength('runs', 'events')} AS journal_events
    FROM runs
    WHERE status IN (${FINISHED_RUN_STATUSES_SQL}) AND finished_at < $3
      AND ($1::uuid IS NULL OR id = $1::uuid) AND ($2::uuid IS NULL OR group_id = $2::uuid)
    ORDER BY finished_at LIMIT $4
    FOR UPDATE SKIP LOCKED
  ),
  counted AS (
    SELECT d.id, d.group_id, d.workflow_id, d.status, d.created_at, d.finished_at,
      ((SELECT count(*) FROM node_runs n WHERE n.run_id = d.id) + d.journal_nodes)::int AS node_runs,
      ((SELECT count(*) FROM run_events e WHERE e.run_id = d.id) + d.journal_events)::int AS run_events,
      (SELECT count(*) FROM webhook_deliveries w WHERE w.run_id = d.id)::int AS callback_attempts
    FROM doomed d
  ),
  deleted AS (
    DELETE FROM runs WHERE id IN (SELECT id FROM doomed) RETURNING id
  ),
  audited AS (
    ${insertAuditEvents(`
      SELECT $5::text AS actor, $6::uuid AS key_id, c.group_id, 'run.deleted' AS action, 'run' AS target_type,
        c.id::text AS target_id,
        jsonb_build_object('workflow_id', c.workflow_id, 'status', c.status, 'created_at', c.created_at,
          'finished_at', c.finished_at, 'node_runs', c.node_runs, 'run_events', c.run_events,
          'callback_attempts', c.callback_attempts) AS before,
        NULL::jsonb AS after
      FROM counted c WHERE $1::uuid IS NOT NULL
      UNION ALL
      SELECT $5::text, $6::uuid, c.group_id, 'retention.purged', 'runs', NULL, NULL,
        jsonb_build_object('finished_before', $3::timestamptz, 'runs', count(*), 'node_runs', sum(c.node_runs),
          'run_events', sum(c.run_events), 'callback_attempts', sum(c.callback_attempts))
      FROM counted c WHERE $1::uuid IS NULL GROUP BY c.group_id`)}
  )
  SELECT (SELECT count(*) FROM deleted)::int AS runs,
    COALESCE(sum(node_runs), 0)::int AS node_runs,
    COALESCE(sum(run_events), 0)::int AS run_events,
    COALESCE(sum(callback_attempts), 0)::int AS callback_attempts
  FROM counted`;

/**
 * Deletes up to $2 audit events older than $1, and records what it deleted as one
 * `retention.purged` row per group (`audit_events`: the count), in the same statement.
 */
export const PURGE_AUDIT_EVENTS = `
  WITH doomed AS (
    SELECT id, group_id FROM audit_events WHERE created_at < $1 ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED
  ),
  deleted AS (
    DELETE FROM audit_events WHERE id IN (SELECT id FROM doomed) RETURNING id
  ),
  audited AS (
    ${insertAuditEvents(`
      SELECT 'system'::text AS actor, NULL::uuid AS key_id, group_id, 'retention.purged' AS action,
        'audit_events' AS target_type, NULL::text AS target_id, NULL::jsonb AS before,
        jsonb_build_object('created_before', $1::timestamptz, 'audit_events', count(*)) AS after
      FROM doomed GROUP BY group_id`)}
  )
  SELECT count(*)::int AS purged FROM deleted`;

/** Frees up to $2 Idempotency-Keys whose window ended before $1. */
export const PURGE_IDEMPOTENCY_KEYS = `
  WITH expired AS (
    SELECT id FROM runs WHERE idempotency_key IS NOT NULL AND created_at < $1
    LIMIT $2 FOR UPDATE SKIP LOCKED
  )
  UPDATE runs SET idempotency_key = NULL, request_hash = NULL FROM expired WHERE runs.id = expired.id`;
