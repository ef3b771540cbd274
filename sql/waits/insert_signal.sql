-- INSERT_SIGNAL (src/waits/waits.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

WITH run AS (SELECT id, group_id, status FROM runs WHERE id = $1::uuid),
stored AS (
  INSERT INTO run_signals (run_id, name, payload, via)
  SELECT id, $2, $3::jsonb, 'api' FROM run WHERE status NOT IN ('completed', 'failed', 'stopped')
  RETURNING id, created_at
),
audited AS (
  INSERT INTO audit_events (actor, key_id, key_name, group_id, action, target_type, target_id, before, after)
  SELECT e.actor, e.key_id, k.name, e.group_id, e.action, e.target_type, e.target_id, e.before, e.after
  FROM (
    SELECT 'api_key'::text AS actor, $4::uuid AS key_id, run.group_id, 'run.signal_sent' AS action,
      'run' AS target_type, run.id::text AS target_id, NULL::jsonb AS before,
      jsonb_build_object('signal_id', stored.id::text, 'name', $2::text) || $5::jsonb AS after
    FROM run, stored
  ) AS e LEFT JOIN api_keys k ON k.id = e.key_id
)
SELECT run.status, stored.id, stored.created_at FROM run LEFT JOIN stored ON true
