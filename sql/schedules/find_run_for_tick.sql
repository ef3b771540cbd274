-- RUN_FOR_TICK (src/schedules/schedules.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

SELECT id FROM runs WHERE schedule_id = $1 AND scheduled_for = $2
