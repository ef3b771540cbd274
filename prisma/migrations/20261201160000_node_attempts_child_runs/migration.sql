-- Every execution of a node (retries under its policy), with timings and errors.
ALTER TABLE "node_runs" ADD COLUMN "attempts" JSONB NOT NULL DEFAULT '[]';

-- Child runs started by WorkflowNode and MapNode: which run, node, node attempt and list item
-- started them, and how deep they nest.
ALTER TABLE "runs" ADD COLUMN "parent_run_id" UUID;
ALTER TABLE "runs" ADD COLUMN "parent_node_id" TEXT;
ALTER TABLE "runs" ADD COLUMN "parent_attempt" INTEGER;
ALTER TABLE "runs" ADD COLUMN "parent_item_index" INTEGER;
ALTER TABLE "runs" ADD COLUMN "depth" INTEGER NOT NULL DEFAULT 0;

-- No foreign key to the parent on purpose: each child insert would take a KEY SHARE lock on the
-- parent's row, which the parent's own writes lock FOR UPDATE, and a map's concurrent children
-- would queue on that one row (measured: 300 vs 700 items/s for a 1,000-item map at concurrency 32).

-- One child per parent node attempt and item: a resumed parent finds its children instead of
-- starting them again.
CREATE UNIQUE INDEX "runs_parent_child_key" ON "runs"("parent_run_id", "parent_node_id", "parent_attempt", COALESCE("parent_item_index", -1));
