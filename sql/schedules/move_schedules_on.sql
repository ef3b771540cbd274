-- MOVE_SCHEDULES_ON (src/schedules/schedules.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

UPDATE schedules SET next_run_at = o.next_run_at, last_run_id = COALESCE(o.last_run_id, schedules.last_run_id),
  last_error = o.last_error, enabled = o.enabled, updated_at = now()
FROM jsonb_to_recordset($1::jsonb)
  AS o(id uuid, next_run_at timestamptz, last_run_id uuid, last_error text, enabled boolean)
WHERE schedules.id = o.id
