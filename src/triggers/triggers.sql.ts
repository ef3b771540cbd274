import { limitOf, usageUpTo } from '../database/group-usage.sql.js';

/**
 * Makes trigger creations of group $1 take turns until the transaction ends, so two at once cannot
 * both pass COUNT_GROUP_TRIGGERS.
 */
export const LOCK_GROUP_TRIGGERS = `SELECT 1 FROM pg_advisory_xact_lock(hashtext('runloom:triggers:' || $1))`;

const MAX_TRIGGERS = limitOf('max_triggers', '$1::uuid', '$2::int');

/**
 * Group $1's max_triggers (`limit_value`: its override, else $2, the deployment's default) and its
 * triggers, counted up to that limit (`current`).
 */
export const COUNT_GROUP_TRIGGERS = `
  SELECT ${MAX_TRIGGERS} AS limit_value,
    ${usageUpTo('max_triggers', '$1::uuid', MAX_TRIGGERS)} AS current`;

/** Creating triggers within max_triggers (takeGroupRoom). */
export const TRIGGER_LIMIT = { lock: LOCK_GROUP_TRIGGERS, count: COUNT_GROUP_TRIGGERS };

/**
 * Remembers delivery $2 of trigger $1 for $3 seconds; a row only when it was not remembered yet, or
 * its window had ended (then it starts again). No row: a replay inside the window. The primary key
 * decides between two deliveries of one id at once: the second waits for the first's commit and
 * finds its row.
 */
export const RECORD_DELIVERY = `
  INSERT INTO trigger_deliveries (trigger_id, delivery_id, expires_at)
  VALUES ($1, $2, now() + $3::int * interval '1 second')
  ON CONFLICT (trigger_id, delivery_id) DO UPDATE
    SET expires_at = EXCLUDED.expires_at, created_at = now()
    WHERE trigger_deliveries.expires_at <= now()
  RETURNING 1 AS recorded`;

/** Forgets delivery $2 of trigger $1 again: its run was refused, so the sender's retry must be taken. */
export const FORGET_DELIVERY = 'DELETE FROM trigger_deliveries WHERE trigger_id = $1 AND delivery_id = $2';

/** Deletes up to $1 delivery ids whose window has ended (trigger_deliveries_expires_at_idx). */
export const PURGE_EXPIRED_DELIVERIES = `
  DELETE FROM trigger_deliveries WHERE ctid IN (
    SELECT ctid FROM trigger_deliveries WHERE expires_at <= now() LIMIT $1 FOR UPDATE SKIP LOCKED
  )`;
