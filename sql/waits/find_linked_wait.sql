-- LINKED_WAIT (src/waits/waits.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

SELECT n.run_id, n.node_id, n.status, n.waiting_until, n.waiting_for, r.status AS run_status, r.definition
FROM node_runs n JOIN runs r ON r.id = n.run_id
WHERE n.resume_token_hash = $1
