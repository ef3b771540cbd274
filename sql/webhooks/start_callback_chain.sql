-- START_CALLBACK_CHAIN (src/webhooks/webhooks.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

INSERT INTO webhook_messages (run_id, message_id)
SELECT id, 'msg_' || id FROM runs WHERE id = $1::uuid AND group_id = $2::uuid
ON CONFLICT (run_id) DO UPDATE SET chain = webhook_messages.chain + 1
RETURNING message_id, chain
