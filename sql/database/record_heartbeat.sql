-- HEARTBEAT (src/database/instances.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

INSERT INTO instances (id, role, worker_ids)
VALUES ($1, $2, $3::text[])
ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), worker_ids = EXCLUDED.worker_ids
