-- Recovering and finding runs.
-- retry_of / replay_of: the run a retry or a replay was made from. No foreign keys: the source may
-- be deleted (by retention or DELETE) while its retries stay, and a key would lock its row on insert.
-- call_path: what the run's outbound calls are, for their Idempotency-Keys. A root run's is its own
-- id, or for a retry the call_path of the run it retries; a child run's is its parent's followed by
-- the parent's node id and item index. Null (runs older than this) reads as the run's id.
ALTER TABLE "runs"
  ADD COLUMN "retry_of" UUID,
  ADD COLUMN "replay_of" UUID,
  ADD COLUMN "call_path" TEXT,
  ADD COLUMN "metadata" JSONB NOT NULL DEFAULT '{}';

ALTER TABLE "schedules" ADD COLUMN "metadata" JSONB NOT NULL DEFAULT '{}';

-- The run a `reused` node run's output was taken from (the source of a retry, or its own source).
ALTER TABLE "node_runs" ADD COLUMN "reused_from" UUID;

CREATE INDEX "runs_retry_of_idx" ON "runs"("retry_of") WHERE "retry_of" IS NOT NULL;
CREATE INDEX "runs_replay_of_idx" ON "runs"("replay_of") WHERE "replay_of" IS NOT NULL;
-- metadata.<key>=<value> filters are containment (metadata @> '{"key":"value"}'); most runs have none.
CREATE INDEX "runs_metadata_idx" ON "runs" USING GIN ("metadata" jsonb_path_ops) WHERE "metadata" <> '{}';
