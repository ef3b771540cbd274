-- GROUP_USAGE (src/database/group-usage.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

SELECT
  (SELECT COALESCE(sum(live), 0)::int FROM group_live_runs WHERE group_id = $1::uuid) AS active_runs,
  (SELECT count(*)::int FROM schedules WHERE group_id = $1::uuid) AS schedules,
  (SELECT count(*)::int FROM triggers WHERE group_id = $1::uuid) AS triggers,
  (SELECT count(*)::int FROM runs WHERE group_id = $1::uuid AND scheduled_for IS NOT NULL AND created_at > now() - interval '1 minute') AS schedule_ticks_last_minute
