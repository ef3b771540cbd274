-- LOCK_TREE_FOR_STOP (src/executor/run-trees.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

SELECT pg_advisory_xact_lock(1381322318, hashtext($1::text))
