-- TAKE_SIGNAL (src/waits/waits.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

WITH mine AS (
  SELECT id, payload FROM run_signals WHERE run_id = $1::uuid AND node_id = $2 ORDER BY id LIMIT 1
),
next AS (
  SELECT id FROM run_signals
  WHERE run_id = $1::uuid AND name = $3 AND node_id IS NULL AND NOT EXISTS (SELECT 1 FROM mine)
  ORDER BY id LIMIT 1 FOR UPDATE
),
taken AS (
  UPDATE run_signals SET node_id = $2 WHERE id IN (SELECT id FROM next) RETURNING id, payload
)
SELECT payload FROM mine UNION ALL SELECT payload FROM taken
