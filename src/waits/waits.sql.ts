import { FINISHED_RUN_STATUSES_SQL } from '../common/run-status.js';
import { queueRunJob } from '../database/queue-jobs.js';
import { insertAuditEvents } from '../common/audit-events.js';

/**
 * The statements of durable waits. A parked run (`waiting`) holds no lease; what wakes it is a
 * queued `execute_run` job: one due at the earliest `waiting_until` of its nodes (queued when it
 * parks), or one queued at once when a signal it waits for arrives. Waking is only a hint: the
 * claim takes a waiting run only when `wakeDue` holds, so a run resumes once, however many jobs
 * wake it.
 */

/** SQL true when waiting node run `node` (a node_runs alias) has a signal to take: its own, or the oldest untaken of its name. */
function signalAvailable(node: string): string {
  return `(${node}.waiting_for IS NOT NULL AND EXISTS (
    SELECT 1 FROM run_signals s
    WHERE s.run_id = ${node}.run_id AND s.name = ${node}.waiting_for AND (s.node_id IS NULL OR s.node_id = ${node}.node_id)))`;
}

/** SQL true when the waiting run `run` (a runs alias) may resume: a node's time has come, or its signal. */
export function wakeDue(run: string): string {
  return `EXISTS (
    SELECT 1 FROM node_runs w
    WHERE w.run_id = ${run}.id AND w.status = 'waiting' AND (w.waiting_until <= now() OR ${signalAvailable('w')}))`;
}

/**
 * Queues waiting run $1 at once when its wait is over (wakeDue). Sent after the write that could
 * make it due has committed: a signal's insert, so of a signal and a park that race, the later
 * one's check sees the other; and a park, once the instance that parked the run has let go of it
 * (a wake-up it took meanwhile, for a run it still held, was dropped).
 */
export const WAKE_IF_DUE = `
  SELECT ${queueRunJob('r.id::text', 'r.group_id::text', "job_key_mode := 'replace'")}
  FROM runs r
  WHERE r.id = $1::uuid AND r.status = 'waiting' AND ${wakeDue('r')}`;

/**
 * The signal node $2 of run $1 takes: the one taken for it already (an attempt that took it did not
 * finish the node), else the oldest of name $3 nobody took. Only the run's holder calls it.
 */
export const TAKE_SIGNAL = `
  WITH mine AS (
    SELECT id, payload FROM run_signals WHERE run_id = $1::uuid AND node_id = $2 ORDER BY id LIMIT 1
  ),
  next AS (
    SELECT id FROM run_signals
    WHERE run_id = $1::uuid AND name = $3 AND node_id IS NULL AND NOT EXISTS (SELECT 1 FROM mine)
    ORDER BY id LIMIT 1 FOR UPDATE
  ),
  taken AS (
    UPDATE run_signals SET node_id = $2 WHERE id IN (SELECT id FROM next) RETURNING id, payload
  )
  SELECT payload FROM mine UNION ALL SELECT payload FROM taken`;

/** The nodes of run $1 a resumed attempt executes again with their wait: parked, or resumed by an attempt that did not finish them. */
export const PARKED_NODES = `
  SELECT node_id, waiting_until, waiting_for, resume_token_hash FROM node_runs
  WHERE run_id = $1::uuid AND status IN ('waiting', 'running')
    AND (waiting_until IS NOT NULL OR waiting_for IS NOT NULL)
  ORDER BY started_at, node_id`;

/** Run $1 of group $2: its status and definition, which names its SignalNodes. */
export const SIGNALLED_RUN = `SELECT status, definition FROM runs WHERE id = $1::uuid AND group_id = $2::uuid`;

/**
 * Stores signal $2 with payload $3 for run $1 while it is live; `id` is null when the run has
 * finished (`status`). The audit row (`run.signal_sent` by key $4, with $5 added to what it shows)
 * is written by the same statement, so the signal and its record commit together.
 */
export const INSERT_SIGNAL = `
  WITH run AS (SELECT id, group_id, status FROM runs WHERE id = $1::uuid),
  stored AS (
    INSERT INTO run_signals (run_id, name, payload, via)
    SELECT id, $2, $3::jsonb, 'api' FROM run WHERE status NOT IN (${FINISHED_RUN_STATUSES_SQL})
    RETURNING id, created_at
  ),
  audited AS (
    ${insertAuditEvents(`
      SELECT 'api_key'::text AS actor, $4::uuid AS key_id, run.group_id, 'run.signal_sent' AS action,
        'run' AS target_type, run.id::text AS target_id, NULL::jsonb AS before,
        jsonb_build_object('signal_id', stored.id::text, 'name', $2::text) || $5::jsonb AS after
      FROM run, stored`)}
  )
  SELECT run.status, stored.id, stored.created_at FROM run LEFT JOIN stored ON true`;

/** The waiting node run whose resume link's token hashes to $1, with its run. */
export const LINKED_WAIT = `
  SELECT n.run_id, n.node_id, n.status, n.waiting_until, n.waiting_for, r.status AS run_status, r.definition
  FROM node_runs n JOIN runs r ON r.id = n.run_id
  WHERE n.resume_token_hash = $1`;

/**
 * Stores the signal a resume link sends, taken for its node at once: no row when the node took a
 * signal already (the link was used, or a signal sent through the API came first). The audit row
 * (`run.resumed` through the link, with $5 added to what it shows) is written by the same statement.
 */
export const INSERT_LINKED_SIGNAL = `
  WITH stored AS (
    INSERT INTO run_signals (run_id, name, payload, node_id, via) VALUES ($1::uuid, $2, $3::jsonb, $4, 'link')
    ON CONFLICT (run_id, node_id) WHERE node_id IS NOT NULL DO NOTHING
    RETURNING id, created_at, run_id
  ),
  audited AS (
    ${insertAuditEvents(`
      SELECT 'resume_link'::text AS actor, NULL::uuid AS key_id, r.group_id, 'run.resumed' AS action,
        'run' AS target_type, r.id::text AS target_id, NULL::jsonb AS before,
        jsonb_build_object('signal_id', stored.id::text, 'name', $2::text, 'node_id', $4::text) || $5::jsonb AS after
      FROM stored JOIN runs r ON r.id = stored.run_id`)}
  )
  SELECT id, created_at FROM stored`;
