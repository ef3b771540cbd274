-- An async run's queue priority is its place in its group's line: how many runs of the group are
-- queued already. Only queued runs are in this index, so counting a group's line reads its line
-- and nothing else; a run leaves it when it is claimed or stopped.
CREATE INDEX "runs_queued_group_id_idx" ON "runs"("group_id") WHERE "status" = 'queued';
