-- DESCENDANT_COUNT (src/executor/run-trees.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

SELECT count(*)::int AS descendants FROM runs WHERE root_run_id = $1::uuid
