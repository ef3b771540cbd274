import { DELIVER_CALLBACK_JOB } from '../database/queue-jobs.js';
import { columnList, fieldsWithout } from '../database/sql-columns.js';
import { WEBHOOK_DELIVERY_COLUMNS } from './webhook-delivery-row.js';

/**
 * The delivery worker's two statements, then a redelivery's. The first attempt of a chain is
 * queued by the `runs_queue_callback` trigger (when the run finishes) or by a redelivery; each
 * attempt then records itself and queues the next (a graphile-worker job with run_at) in one
 * statement, so a restart between attempts loses nothing.
 */

/** Everything one attempt needs: the run, its message, the group's signing secrets, and whether this attempt already happened. */
export const LOAD_CALLBACK = `
  SELECT r.*, m.message_id, m.chain AS current_chain, g.webhook_secret,
    CASE WHEN g.previous_secret_expires_at > now() THEN g.previous_webhook_secret END AS previous_webhook_secret,
    EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.run_id = r.id AND d.chain = $2 AND d.attempt = $3) AS attempted
  FROM runs r
  JOIN groups g ON g.id = r.group_id
  LEFT JOIN webhook_messages m ON m.run_id = r.id
  WHERE r.id = $1::uuid`;

/** RECORD_ATTEMPT's parameters, $1 to $14: every column of the delivery but its id, which the database makes. */
export const RECORDED_DELIVERY_FIELDS = fieldsWithout(WEBHOOK_DELIVERY_COLUMNS, ['id']);

/**
 * Records the attempt (once: a repeated job finds it recorded and queues nothing) and, when it is
 * to be retried and its chain is still the current one, queues the next attempt at next_attempt_at.
 */
export const RECORD_ATTEMPT = `
  WITH recorded AS (
    INSERT INTO webhook_deliveries (id, ${columnList(WEBHOOK_DELIVERY_COLUMNS, RECORDED_DELIVERY_FIELDS)})
    VALUES (gen_random_uuid(), $1::uuid, $2, $3, $4, $5::int, $6::int, $7, $8, $9, $10, $11,
      CASE WHEN (SELECT chain FROM webhook_messages WHERE run_id = $1::uuid) = $5::int THEN $12::timestamptz END,
      $13::timestamptz, $14::timestamptz)
    ON CONFLICT (run_id, chain, attempt) DO NOTHING
    RETURNING next_attempt_at
  ),
  next AS (
    SELECT graphile_worker.add_job('${DELIVER_CALLBACK_JOB}',
      json_build_object('runId', $1::uuid, 'chain', $5::int, 'attempt', $6::int + 1),
      run_at := next_attempt_at, job_key := 'callback:' || $1::uuid || ':' || $5::int)
    FROM recorded WHERE next_attempt_at IS NOT NULL
  )
  SELECT (SELECT count(*)::int FROM recorded) AS recorded, (SELECT count(*)::int FROM next) AS scheduled`;

/**
 * A redelivery's statements, in one transaction. The first starts a new chain of run $1 of group
 * $2's callback: the message is created with chain 1, or keeps its id and moves to the next chain.
 * Returns nothing when the group has no such run.
 */
export const START_CALLBACK_CHAIN = `
  INSERT INTO webhook_messages (run_id, message_id)
  SELECT id, 'msg_' || id FROM runs WHERE id = $1::uuid AND group_id = $2::uuid
  ON CONFLICT (run_id) DO UPDATE SET chain = webhook_messages.chain + 1
  RETURNING message_id, chain`;

/** Run $1's earlier chains (before chain $2) plan no further attempt. */
export const CLEAR_PLANNED_ATTEMPTS = `
  UPDATE webhook_deliveries SET next_attempt_at = NULL
  WHERE run_id = $1::uuid AND chain < $2 AND next_attempt_at IS NOT NULL`;

/** Removes the queued attempt of job key $1 (the previous chain's), if any. */
export const REMOVE_CALLBACK_JOB = 'SELECT graphile_worker.remove_job($1)';

/** Queues the first attempt of run $1's chain $2, under job key $3. */
export const QUEUE_FIRST_ATTEMPT = `
  SELECT graphile_worker.add_job('${DELIVER_CALLBACK_JOB}',
    json_build_object('runId', $1::text, 'chain', $2::int, 'attempt', 1), job_key := $3)`;
