-- Retrying a run: a node whose stored output is taken over from the run it retries, unchanged and
-- not executed again, is `reused`. Its own migration, as a new enum value is usable only once the
-- transaction adding it has committed.
ALTER TYPE "NodeRunStatus" ADD VALUE 'reused' AFTER 'completed';
