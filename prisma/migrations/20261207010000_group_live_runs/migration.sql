-- max_active_runs: a group's unfinished root runs, counted by triggers instead of by run creation.
-- Counting the rows at each creation read the group's whole backlog (index entries and, as the
-- pages of a busy table are never all-visible, the heap rows too): a group with 2,000 queued runs
-- paid ~300 buffer reads per creation, growing with its queue. Now a creation sums at most 64 rows.
--
-- Each database backend keeps its own row per group (`slot`, its pid mod 64), so concurrent
-- transactions rarely update the same row and do not queue behind each other's commits, as they
-- would on one counter row per group. A row's `live` may go below zero (a run counted up on one
-- backend is counted down on another); the group's sum is its count of live root runs, as exact
-- as the committed rows it is kept from. The predicate "root run, queued, running or waiting" must
-- stay the one of LIVE_RUN_STATUSES_SQL (src/common/run-status.ts).
CREATE TABLE "group_live_runs" (
    "group_id" UUID NOT NULL,
    "slot" SMALLINT NOT NULL,
    "live" INTEGER NOT NULL,

    CONSTRAINT "group_live_runs_pkey" PRIMARY KEY ("group_id", "slot"),
    CONSTRAINT "group_live_runs_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE CASCADE
) WITH (fillfactor = 50); -- room on each page for the updates to stay HOT

CREATE FUNCTION "runloom_count_live_runs"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.parent_run_id IS NULL AND OLD.status IN ('queued', 'running', 'waiting') THEN
    INSERT INTO group_live_runs (group_id, slot, live) VALUES (OLD.group_id, pg_backend_pid() % 64, -1)
    ON CONFLICT (group_id, slot) DO UPDATE SET live = group_live_runs.live - 1;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.parent_run_id IS NULL AND NEW.status IN ('queued', 'running', 'waiting') THEN
    INSERT INTO group_live_runs (group_id, slot, live) VALUES (NEW.group_id, pg_backend_pid() % 64, 1)
    ON CONFLICT (group_id, slot) DO UPDATE SET live = group_live_runs.live + 1;
  END IF;
  RETURN NULL;
END $$;

-- The WHEN clauses keep the function to the rows whose count changes: a claim (queued → running)
-- and the writes of a running run call nothing.
CREATE TRIGGER "runs_count_live_on_insert" AFTER INSERT ON "runs"
  FOR EACH ROW
  WHEN (NEW.parent_run_id IS NULL AND NEW.status IN ('queued', 'running', 'waiting'))
  EXECUTE FUNCTION "runloom_count_live_runs"();
CREATE TRIGGER "runs_count_live_on_update" AFTER UPDATE ON "runs"
  FOR EACH ROW
  WHEN ((OLD.parent_run_id IS NULL AND OLD.status IN ('queued', 'running', 'waiting'))
      <> (NEW.parent_run_id IS NULL AND NEW.status IN ('queued', 'running', 'waiting'))
    OR (OLD.parent_run_id IS NULL AND OLD.status IN ('queued', 'running', 'waiting') AND OLD.group_id <> NEW.group_id))
  EXECUTE FUNCTION "runloom_count_live_runs"();
CREATE TRIGGER "runs_count_live_on_delete" AFTER DELETE ON "runs"
  FOR EACH ROW
  WHEN (OLD.parent_run_id IS NULL AND OLD.status IN ('queued', 'running', 'waiting'))
  EXECUTE FUNCTION "runloom_count_live_runs"();

-- The runs already live. The triggers above lock `runs` against writes until this migration
-- commits, so no run changes between this count and the first trigger call.
INSERT INTO "group_live_runs" ("group_id", "slot", "live")
SELECT "group_id", 0, count(*) FROM "runs"
WHERE "parent_run_id" IS NULL AND "status" IN ('queued', 'running', 'waiting')
GROUP BY "group_id";

-- Nothing counts the rows any more; the index only cost every run's insert and status change.
DROP INDEX "runs_active_root_runs_idx";
