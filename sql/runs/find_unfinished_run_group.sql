-- UNFINISHED_RUN_GROUP (src/executor/runs.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

SELECT group_id FROM runs WHERE id = $1::uuid AND status NOT IN ('completed', 'failed', 'stopped')
