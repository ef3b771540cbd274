-- Group secrets: values encrypted with AES-256-GCM (SECRETS_KEY); the group and name are the
-- additional authenticated data, so a ciphertext moved to another row does not decrypt.
CREATE TABLE "secrets" (
    "id" UUID NOT NULL,
    "group_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "ciphertext" BYTEA NOT NULL,
    "iv" BYTEA NOT NULL,
    "auth_tag" BYTEA NOT NULL,
    "updated_by_key_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "secrets_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "secrets_group_id_name_key" ON "secrets"("group_id", "name");
ALTER TABLE "secrets" ADD CONSTRAINT "secrets_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Cron schedules: the instance that moves next_run_at on (under FOR UPDATE SKIP LOCKED) creates the tick's run.
CREATE TABLE "schedules" (
    "id" UUID NOT NULL,
    "group_id" UUID NOT NULL,
    "workflow_id" UUID NOT NULL,
    "workflow_version_id" UUID,
    "cron" TEXT NOT NULL,
    "timezone" TEXT NOT NULL,
    "input" JSONB NOT NULL,
    "callback_url" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "next_run_at" TIMESTAMPTZ(3),
    "last_run_id" UUID,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "schedules_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "schedules_workflow_id_created_at_idx" ON "schedules"("workflow_id", "created_at");
CREATE INDEX "schedules_due_idx" ON "schedules"("next_run_at") WHERE "enabled";
-- Deleting a run (retention) clears last_run_id through this index.
CREATE INDEX "schedules_last_run_id_idx" ON "schedules"("last_run_id");
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflows"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_workflow_version_id_fkey" FOREIGN KEY ("workflow_version_id") REFERENCES "workflow_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_last_run_id_fkey" FOREIGN KEY ("last_run_id") REFERENCES "runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- A scheduled run names its schedule and tick; one run per (schedule, tick), enforced here too.
ALTER TABLE "runs" ADD COLUMN "schedule_id" UUID;
ALTER TABLE "runs" ADD COLUMN "scheduled_for" TIMESTAMPTZ(3);
ALTER TABLE "runs" ADD CONSTRAINT "runs_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "schedules"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE UNIQUE INDEX "runs_schedule_id_scheduled_for_key" ON "runs"("schedule_id", "scheduled_for");

-- Retention finds finished runs by age, and idempotency keys past their window.
CREATE INDEX "runs_finished_at_idx" ON "runs"("finished_at") WHERE "finished_at" IS NOT NULL;
CREATE INDEX "runs_idempotency_created_at_idx" ON "runs"("created_at") WHERE "idempotency_key" IS NOT NULL;
