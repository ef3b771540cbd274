-- Every child run names the root of its tree (the run started through the API or a schedule):
-- the descendants of a root are counted against MAX_DESCENDANT_RUNS, and a stop of the root
-- reaches them through this index. Roots keep NULL, so the index costs their inserts nothing.
ALTER TABLE "runs" ADD COLUMN "root_run_id" UUID;
CREATE INDEX "runs_root_run_id_idx" ON "runs"("root_run_id") WHERE "root_run_id" IS NOT NULL;
