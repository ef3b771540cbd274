-- CreateIndex
CREATE INDEX "runs_group_id_debugger_idx" ON "runs"("group_id", "debugger");
