-- GET /v1/runs and POST /v1/runs/stop (src/runs/run-search.ts): a group's runs, newest first
-- (created_at DESC, id DESC), a keyset page at a time. Each index ends in (created_at, id), so a
-- filter's matching runs come out of it already in that order from the cursor on, and a page reads
-- about as many entries as it returns, however many runs the group has.

-- No filter, or only created_after / created_before (a range on created_at, read backwards).
CREATE INDEX "runs_group_id_created_at_id_idx" ON "runs"("group_id", "created_at", "id");

-- One status (`failed` in the last hour). Several statuses are read from here and merged by a
-- top-N sort, or from the index above with the status as a filter, whichever the planner finds
-- cheaper.
CREATE INDEX "runs_group_id_status_created_at_id_idx" ON "runs"("group_id", "status", "created_at", "id");

-- workflow_id: replaces (workflow_id, created_at), which the per-workflow list
-- (GET /v1/workflows/{id}/runs) also reads, so the order's tie-break is in the index too. A
-- workflow belongs to one group, so group_id is left to the rows.
CREATE INDEX "runs_workflow_id_created_at_id_idx" ON "runs"("workflow_id", "created_at", "id");
DROP INDEX "runs_workflow_id_created_at_idx";

-- schedule_id: a schedule may start hundreds of thousands of runs; only runs a schedule started
-- are in the index (the unique (schedule_id, scheduled_for) is ordered by tick, not by creation).
CREATE INDEX "runs_schedule_id_created_at_id_idx" ON "runs"("schedule_id", "created_at", "id")
  WHERE "schedule_id" IS NOT NULL;

-- The other filters use the indexes that exist: parent_run_id the unique runs_parent_child_key,
-- root_run_id runs_root_run_id_idx (a tree holds at most MAX_DESCENDANT_RUNS runs to sort),
-- retry_of runs_retry_of_idx, metadata the GIN runs_metadata_idx, finished_after/before
-- runs_finished_at_idx, each beside the group's index above.
