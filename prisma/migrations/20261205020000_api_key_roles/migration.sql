-- Roles for API keys: viewer (reads), runner (viewer + starts, stops and signals runs), editor
-- (runner + changes workflows, versions, schedules and secrets, deletes runs), admin (everything).
-- Existing `member` keys keep their value and their rights, which are editor's: nothing is rewritten,
-- so a key and what clients read about it stay the same.
ALTER TYPE "ApiKeyRole" ADD VALUE 'viewer' BEFORE 'admin';
ALTER TYPE "ApiKeyRole" ADD VALUE 'runner' BEFORE 'admin';
ALTER TYPE "ApiKeyRole" ADD VALUE 'editor' BEFORE 'admin';
