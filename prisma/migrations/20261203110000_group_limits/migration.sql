-- Per-group limits (src/config/group-limits.ts). A group's overrides: only the limits an admin set,
-- e.g. {"max_active_runs": 50}; the others follow the deployment's defaults.
ALTER TABLE "groups" ADD COLUMN "limits" JSONB NOT NULL DEFAULT '{}';

-- max_active_runs: run creation counts the group's unfinished root runs in its INSERT. The index
-- holds only those rows, so the count reads at most the limit's worth of entries whatever the
-- group's history; the predicate must stay the one in src/database/group-usage.sql.ts.
CREATE INDEX "runs_active_root_runs_idx" ON "runs"("group_id")
  WHERE "status" IN ('queued', 'running') AND "parent_run_id" IS NULL;

-- max_schedule_ticks_per_minute: the runs schedules started in the last minute, per group.
CREATE INDEX "runs_scheduled_group_id_created_at_idx" ON "runs"("group_id", "created_at")
  WHERE "scheduled_for" IS NOT NULL;

-- max_schedules: schedules per group.
CREATE INDEX "schedules_group_id_idx" ON "schedules"("group_id");
