-- LOAD_CALLBACK (src/webhooks/webhooks.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

SELECT r.*, m.message_id, m.chain AS current_chain, g.webhook_secret,
  CASE WHEN g.previous_secret_expires_at > now() THEN g.previous_webhook_secret END AS previous_webhook_secret,
  EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.run_id = r.id AND d.chain = $2 AND d.attempt = $3) AS attempted
FROM runs r
JOIN groups g ON g.id = r.group_id
LEFT JOIN webhook_messages m ON m.run_id = r.id
WHERE r.id = $1::uuid
