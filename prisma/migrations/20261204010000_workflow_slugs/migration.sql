-- A workflow's slug is its stable name for code (export/import, the CLI): optional, unique among
-- the group's workflows that are not deleted, so a deleted workflow's slug can be taken again.
ALTER TABLE "workflows" ADD COLUMN "slug" TEXT;
CREATE UNIQUE INDEX "workflows_group_id_slug_key" ON "workflows"("group_id", "slug")
  WHERE "deleted_at" IS NULL AND "slug" IS NOT NULL;

-- GET /v1/workflows?q= matches name, slug and description with ILIKE '%text%'. A group's
-- workflows are read from (group_id, created_at) when the group is small; trigram indexes let the
-- planner answer from the index instead when it is not. pg_trgm is a trusted extension
-- (PostgreSQL 13+): a database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "workflows_search_idx" ON "workflows"
  USING GIN ("name" gin_trgm_ops, "slug" gin_trgm_ops, "description" gin_trgm_ops);
