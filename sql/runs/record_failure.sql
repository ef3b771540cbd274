-- RECORD_FAILURE (src/executor/runs.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

UPDATE runs SET last_failure = $3,
  lease_owner = CASE WHEN $4 THEN NULL ELSE lease_owner END,
  lease_expires_at = CASE WHEN $4 THEN now() ELSE lease_expires_at END,
  attempt = CASE WHEN $4 THEN attempt - 1 ELSE attempt END
WHERE id = $1::uuid AND lease_owner = $2
