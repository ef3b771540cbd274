-- A run input pinned to the workflow for test runs from the editor; kept as sent, like definitions.
ALTER TABLE "workflows" ADD COLUMN "sample_input" JSON;
