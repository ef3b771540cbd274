-- INSERT_LINKED_SIGNAL (src/waits/waits.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

INSERT INTO run_signals (run_id, name, payload, node_id, via)
VALUES ($1::uuid, $2, $3::jsonb, $4, 'link')
ON CONFLICT (run_id, node_id) WHERE node_id IS NOT NULL DO NOTHING
RETURNING id, created_at
