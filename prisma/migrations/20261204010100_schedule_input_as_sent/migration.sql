-- A schedule's input and metadata are kept as they were sent, like workflow definitions: `json`
-- stores the text, so they read back (and export) with their keys in the order they were saved,
-- and a workflow kept in git shows no false diff. Nothing queries inside these columns; runs
-- started by a schedule copy them into their own jsonb columns. Rows saved before this keep the
-- order jsonb gave them.
ALTER TABLE "schedules" ALTER COLUMN "input" SET DATA TYPE JSON USING "input"::json;
ALTER TABLE "schedules" ALTER COLUMN "metadata" DROP DEFAULT;
ALTER TABLE "schedules" ALTER COLUMN "metadata" SET DATA TYPE JSON USING "metadata"::json;
ALTER TABLE "schedules" ALTER COLUMN "metadata" SET DEFAULT '{}';
