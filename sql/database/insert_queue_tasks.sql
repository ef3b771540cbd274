-- QUEUE_TASKS (src/database/queue.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

INSERT INTO graphile_worker._private_tasks (identifier)
VALUES ('execute_run') ON CONFLICT DO NOTHING
