-- TAKE_DUE_SCHEDULES (src/schedules/schedules.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

WITH due AS (
  SELECT id AS due_id, group_id AS due_group, next_run_at AS due_at,
    row_number() OVER (PARTITION BY group_id ORDER BY next_run_at, id) AS due_rank
  FROM schedules WHERE enabled AND next_run_at <= now()
),
taken AS (SELECT * FROM due ORDER BY due_rank, due_at LIMIT $1),
tick_limits AS (
  SELECT due_group AS tick_group,
    COALESCE((SELECT (limits ->> 'max_schedule_ticks_per_minute')::int FROM groups WHERE id = due_group), $2::int) AS tick_limit
  FROM (SELECT DISTINCT due_group FROM taken) AS groups_taken
),
ticked AS (
  SELECT tick_group, tick_limit, (SELECT count(*)::int FROM (
    SELECT 1 FROM runs WHERE group_id = tick_group AND scheduled_for IS NOT NULL
      AND created_at > now() - interval '1 minute'
    LIMIT tick_limit
  ) AS counted) AS recent_ticks
  FROM tick_limits
)
SELECT id, group_id, workflow_id, workflow_version_id, cron, timezone, input, callback_url, metadata, next_run_at,
  tick_limit, recent_ticks,
  due_rank <= tick_limit - recent_ticks AS within_rate
FROM schedules JOIN taken ON due_id = id JOIN ticked ON tick_group = group_id
WHERE enabled AND next_run_at <= now()
ORDER BY due_rank, due_at
FOR NO KEY UPDATE OF schedules SKIP LOCKED
