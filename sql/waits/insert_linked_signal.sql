-- INSERT_LINKED_SIGNAL (src/waits/waits.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

WITH stored AS (
  INSERT INTO run_signals (run_id, name, payload, node_id, via)
  VALUES ($1::uuid, $2, $3::jsonb, $4, 'link')
  ON CONFLICT (run_id, node_id) WHERE node_id IS NOT NULL DO NOTHING
  RETURNING id, created_at, run_id
),
audited AS (
  INSERT INTO audit_events (actor, key_id, key_name, group_id, action, target_type, target_id, before, after)
  SELECT e.actor, e.key_id, k.name, e.group_id, e.action, e.target_type, e.target_id, e.before, e.after
  FROM (
    SELECT 'resume_link'::text AS actor, NULL::uuid AS key_id, r.group_id, 'run.resumed' AS action,
      'run' AS target_type, r.id::text AS target_id, NULL::jsonb AS before,
      jsonb_build_object('signal_id', stored.id::text, 'name', $2::text, 'node_id', $4::text) || $5::jsonb AS after
    FROM stored JOIN runs r ON r.id = stored.run_id
  ) AS e LEFT JOIN api_keys k ON k.id = e.key_id
)
SELECT id, created_at FROM stored
