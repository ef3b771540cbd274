-- FORGET_INSTANCE (src/database/instances.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

WITH gone AS (DELETE FROM instances WHERE id = $1 RETURNING worker_ids)
SELECT graphile_worker.force_unlock_workers(ARRAY(SELECT unnest(worker_ids) FROM gone))
WHERE EXISTS (SELECT 1 FROM gone)
