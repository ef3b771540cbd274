-- Workflow definitions are kept as they were sent: `json` stores the text, so a definition reads
-- back with its keys in the order they were saved (`edges` before `nodes`, `to` before `from`),
-- where `jsonb` reorders them. Nothing queries inside these columns; runs keep `jsonb`.
-- Rows saved before this keep the order jsonb gave them.
ALTER TABLE "workflows" ALTER COLUMN "definition" SET DATA TYPE JSON USING "definition"::json;
ALTER TABLE "workflow_versions" ALTER COLUMN "definition" SET DATA TYPE JSON USING "definition"::json;
