-- Four indexes of `runs` held an entry for every run, while only a few runs have the value they
-- index: a debugger session, an Idempotency-Key, a parent run, a schedule. Every insert and every
-- status change of every run wrote those entries (4 of the 9 index entries of a run row): about a
-- third of the buffers a finished sync run's insert touches. They now hold only the runs that have
-- the value. Nothing they answer changes: unique indexes never compared NULLs (two runs without an
-- Idempotency-Key never conflicted), and every query that reads them asks for a value by equality,
-- which the planner proves is not NULL. The unique ones still back `ON CONFLICT DO NOTHING`, which
-- names no index. Building them reads `runs` once each, blocking its writes meanwhile.
DROP INDEX "runs_group_id_debugger_idx";
CREATE INDEX "runs_group_id_debugger_idx" ON "runs"("group_id", "debugger") WHERE "debugger" IS NOT NULL;

DROP INDEX "runs_group_id_idempotency_key_key";
CREATE UNIQUE INDEX "runs_group_id_idempotency_key_key" ON "runs"("group_id", "idempotency_key")
  WHERE "idempotency_key" IS NOT NULL;

DROP INDEX "runs_parent_child_key";
CREATE UNIQUE INDEX "runs_parent_child_key"
  ON "runs"("parent_run_id", "parent_node_id", "parent_attempt", COALESCE("parent_item_index", -1))
  WHERE "parent_run_id" IS NOT NULL;

DROP INDEX "runs_schedule_id_scheduled_for_key";
CREATE UNIQUE INDEX "runs_schedule_id_scheduled_for_key" ON "runs"("schedule_id", "scheduled_for")
  WHERE "schedule_id" IS NOT NULL;
