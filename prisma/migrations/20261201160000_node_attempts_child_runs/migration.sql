-- Every execution of a node (retries under its policy), with timings and errors.
ALTER TABLE "node_runs" ADD COLUMN "attempts" JSONB NOT NULL DEFAULT '[]';

-- Child runs started by WorkflowNode and MapNode: which run, node, node attempt and list item
-- started them, and how deep they nest.
ALTER TABLE "runs" ADD COLUMN "parent_run_id" UUID;
ALTER TABLE "runs" ADD COLUMN "parent_node_id" TEXT;
ALTER TABLE "runs" ADD COLUMN "parent_attempt" INTEGER;
ALTER TABLE "runs" ADD COLUMN "parent_item_index" INTEGER;
ALTER TABLE "runs" ADD COLUMN "depth" INTEGER NOT NULL DEFAULT 0;

ALTER TABLE "runs" ADD CONSTRAINT "runs_parent_run_id_fkey" FOREIGN KEY ("parent_run_id") REFERENCES "runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- One child per parent node attempt and item: a resumed parent finds its children instead of
-- starting them again.
CREATE UNIQUE INDEX "runs_parent_child_key" ON "runs"("parent_run_id", "parent_node_id", "parent_attempt", COALESCE("parent_item_index", -1));
