-- A parked run gives its attempt back: `parks` counts the parks, and a claim counts
-- attempt - parks against MAX_RUN_ATTEMPTS, so a run may wait any number of times.
ALTER TABLE "runs" ADD COLUMN "parks" INTEGER NOT NULL DEFAULT 0;

-- A waiting node run: until when (a WaitNode's time, a SignalNode's timeout), the signal it waits
-- for, and the SHA-256 of its resume link's token (the token itself is never stored).
ALTER TABLE "node_runs" ADD COLUMN "waiting_until" TIMESTAMPTZ(3);
ALTER TABLE "node_runs" ADD COLUMN "waiting_for" TEXT;
ALTER TABLE "node_runs" ADD COLUMN "resume_token_hash" TEXT;
CREATE UNIQUE INDEX "node_runs_resume_token_hash_key" ON "node_runs"("resume_token_hash")
  WHERE "resume_token_hash" IS NOT NULL;

-- Signals sent to a run, in the order they arrived. `node_id` is set when a SignalNode takes one;
-- until then it waits for the next SignalNode of its name.
CREATE TABLE "run_signals" (
  "id" BIGSERIAL PRIMARY KEY,
  "run_id" UUID NOT NULL REFERENCES "runs"("id") ON DELETE CASCADE,
  "name" TEXT NOT NULL,
  "payload" JSONB,
  "node_id" TEXT,
  -- 'api' (POST /v1/runs/{id}/signals/{name}) or 'link' (a resume link)
  "via" TEXT NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE INDEX "run_signals_run_id_name_idx" ON "run_signals"("run_id", "name", "id");

-- The key resume links' tokens are derived from (HMAC-SHA256 of the waiting node), made by the
-- first instance that needs it and shared by all.
CREATE TABLE "signing_keys" (
  "name" TEXT PRIMARY KEY,
  "key" BYTEA NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);

-- Parked runs count toward max_active_runs like queued and running ones: the predicate must stay
-- the one in src/database/group-usage.sql.ts.
DROP INDEX "runs_active_root_runs_idx";
CREATE INDEX "runs_active_root_runs_idx" ON "runs"("group_id")
  WHERE "status" IN ('queued', 'running', 'waiting') AND "parent_run_id" IS NULL;

-- A parked run stopped or failed by its ancestors is finished by an update from `waiting`.
DROP TRIGGER "runs_queue_callback" ON "runs";
CREATE TRIGGER "runs_queue_callback" AFTER UPDATE OF "status" ON "runs"
  FOR EACH ROW
  WHEN (OLD.status IN ('queued', 'running', 'waiting') AND NEW.status IN ('completed', 'failed', 'stopped')
    AND NEW.callback_url IS NOT NULL)
  EXECUTE FUNCTION "runloom_queue_callback"();

-- A node takes at most one signal: a resume link used twice, or used after a signal sent through
-- the API was taken for the node, is refused (410) by this index.
CREATE UNIQUE INDEX "run_signals_run_id_node_id_key" ON "run_signals"("run_id", "node_id")
  WHERE "node_id" IS NOT NULL;
