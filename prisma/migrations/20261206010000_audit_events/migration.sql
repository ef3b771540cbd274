-- The audit log: one row per change made through the API (or by the system: retention, a
-- schedule), written in the same transaction as the change, so a change without its row cannot
-- exist. No foreign keys: a row outlives the key, group and target it names (deleting a group must
-- not delete the record that it was deleted). `before` and `after` are redacted (src/audit/redact.ts)
-- before they are written: they never hold a secret value, a key hash or a token.
CREATE TABLE "audit_events" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  -- 'api_key' (key_id says which), 'system' (retention, schedules) or 'resume_link' (a waiting
  -- node's link, which needs no key).
  "actor" TEXT NOT NULL,
  "key_id" UUID,
  -- The key's name when the change was made: it reads the same after the key is renamed or revoked.
  "key_name" TEXT,
  "group_id" UUID,
  "action" TEXT NOT NULL,
  "target_type" TEXT NOT NULL,
  "target_id" TEXT,
  "before" JSONB,
  "after" JSONB,

  CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- GET /v1/audit lists a group's events newest first, a keyset page at a time ((created_at, id) <
-- the cursor); its other filters (action prefix, target, key) narrow that walk.
CREATE INDEX "audit_events_group_id_created_at_id_idx" ON "audit_events" ("group_id", "created_at" DESC, "id" DESC);
-- Retention deletes the oldest rows of every group.
CREATE INDEX "audit_events_created_at_idx" ON "audit_events" ("created_at");
