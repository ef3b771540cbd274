-- RUN_EXISTS (src/executor/runs.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

SELECT 1 FROM runs WHERE id = $1::uuid
