-- RELEASE_LEASE (src/executor/runs.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

UPDATE runs SET lease_owner = NULL, lease_expires_at = now() WHERE id = $1::uuid AND lease_owner = $2
