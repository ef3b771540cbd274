-- COUNT_GROUP_TRIGGERS (src/triggers/triggers.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

SELECT COALESCE((SELECT (limits ->> 'max_triggers')::int FROM groups WHERE id = $1::uuid), $2::int) AS limit_value,
  (SELECT count(*)::int FROM (
    SELECT 1 FROM triggers WHERE group_id = $1::uuid
    LIMIT COALESCE((SELECT (limits ->> 'max_triggers')::int FROM groups WHERE id = $1::uuid), $2::int)
  ) AS counted) AS current
