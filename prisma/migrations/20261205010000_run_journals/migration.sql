-- A sync run of pure nodes that finishes in its request (src/executor/run-journal.ts says exactly
-- which) is stored as one row: its node runs and events go into `journal`, a compact JSON document
-- ({"nodes": [[...], ...], "events": [[...], ...]}, positional arrays), instead of ~15 rows in
-- node_runs and run_events. Such a run is written once, finished, and never changed again, so
-- nothing needs its node runs or events as rows; every reader expands the journal in SQL into the
-- same columns the rows have (src/database/run-journal.sql.ts). `json`, not `jsonb`: it is only
-- stored and expanded, and json is cheaper to write (measured).
ALTER TABLE "runs" ADD COLUMN "journal" JSON;

-- The journal's events have the ids journal_first_event_id, +1, +2, …: the sequence steps by 64,
-- so one nextval reserves a block of 64 ids that no other event takes, and the ids of journaled
-- and row events stay unique and increasing in the order they were written. A run with more
-- events than that keeps its rows.
ALTER TABLE "runs" ADD COLUMN "journal_first_event_id" BIGINT;
ALTER SEQUENCE "run_events_id_seq" INCREMENT BY 64;

-- The latest event id, and the events of a workflow's runs after an id, find journals by it.
CREATE INDEX "runs_journal_first_event_id_idx" ON "runs" ("journal_first_event_id")
  WHERE "journal_first_event_id" IS NOT NULL;
