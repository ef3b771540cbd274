-- SIGNALLED_RUN (src/waits/waits.sql.ts) as sent to PostgreSQL, re-indented.
-- Generated: after changing it, run `npm run sql`; a unit test fails until this file matches.

SELECT status, definition FROM runs WHERE id = $1::uuid AND group_id = $2::uuid
