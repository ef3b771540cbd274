-- PURGE_AUDIT_EVENTS (src/runs/retention/retention.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

WITH doomed AS (
  SELECT id, group_id FROM audit_events WHERE created_at < $1 ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED
),
deleted AS (
  DELETE FROM audit_events WHERE id IN (SELECT id FROM doomed) RETURNING id
),
audited AS (
  INSERT INTO audit_events (actor, key_id, key_name, group_id, action, target_type, target_id, before, after)
  SELECT e.actor, e.key_id, k.name, e.group_id, e.action, e.target_type, e.target_id, e.before, e.after
  FROM (
    SELECT 'system'::text AS actor, NULL::uuid AS key_id, group_id, 'retention.purged' AS action,
      'audit_events' AS target_type, NULL::text AS target_id, NULL::jsonb AS before,
      jsonb_build_object('created_before', $1::timestamptz, 'audit_events', count(*)) AS after
    FROM doomed GROUP BY group_id
  ) AS e LEFT JOIN api_keys k ON k.id = e.key_id
)
SELECT count(*)::int AS purged FROM deleted
