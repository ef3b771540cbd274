-- The API key that made a version (a snapshot's author); its name is read through the join, so a
-- renamed key shows its new name. Keys are revoked, not deleted; should one be deleted, its
-- versions stay with no author. Versions made before this have none.
ALTER TABLE "workflow_versions" ADD COLUMN "author_key_id" UUID;

ALTER TABLE "workflow_versions" ADD CONSTRAINT "workflow_versions_author_key_id_fkey" FOREIGN KEY ("author_key_id") REFERENCES "api_keys"("id") ON DELETE SET NULL ON UPDATE CASCADE;
