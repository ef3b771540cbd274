-- Webhook triggers: a third party (a payment provider, a code host, a form service) starts a run by
-- delivering a signed request to /v1/hooks/{token}, without an API key. Only the token's SHA-256 is
-- stored; the signing secret is sealed like group secrets (AES-256-GCM under SECRETS_KEY).
CREATE TABLE "triggers" (
    "id" UUID NOT NULL,
    "group_id" UUID NOT NULL,
    "workflow_id" UUID NOT NULL,
    "workflow_version_id" UUID,
    "name" TEXT NOT NULL,
    "mode" "RunMode" NOT NULL,
    "callback_url" TEXT,
    "input_mapping" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "verification" JSONB NOT NULL,
    "token_hash" TEXT NOT NULL,
    "secret_ciphertext" BYTEA,
    "secret_iv" BYTEA,
    "secret_auth_tag" BYTEA,
    "last_delivery_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "triggers_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "triggers_token_hash_key" ON "triggers"("token_hash");
CREATE INDEX "triggers_workflow_id_created_at_idx" ON "triggers"("workflow_id", "created_at");
-- max_triggers (src/database/group-usage.sql.ts) counts a group's triggers through this index.
CREATE INDEX "triggers_group_id_idx" ON "triggers"("group_id");
ALTER TABLE "triggers" ADD CONSTRAINT "triggers_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "triggers" ADD CONSTRAINT "triggers_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflows"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "triggers" ADD CONSTRAINT "triggers_workflow_version_id_fkey" FOREIGN KEY ("workflow_version_id") REFERENCES "workflow_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The delivery ids a trigger accepted (webhook-id, X-GitHub-Delivery, Stripe's t and signature, a
-- configured id header), each kept until its replay window ends: a replay inside the window is
-- refused (409) instead of starting a second run. Expired rows are purged by every API instance.
CREATE TABLE "trigger_deliveries" (
    "trigger_id" UUID NOT NULL,
    "delivery_id" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trigger_deliveries_pkey" PRIMARY KEY ("trigger_id", "delivery_id")
);
CREATE INDEX "trigger_deliveries_expires_at_idx" ON "trigger_deliveries"("expires_at");
ALTER TABLE "trigger_deliveries" ADD CONSTRAINT "trigger_deliveries_trigger_id_fkey" FOREIGN KEY ("trigger_id") REFERENCES "triggers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The trigger whose delivery started a run. No foreign key: deleting a trigger keeps its runs, and a
-- key would take a lock on the trigger's row with every run it starts. Most runs have none.
ALTER TABLE "runs" ADD COLUMN "trigger_id" UUID;
CREATE INDEX "runs_trigger_id_created_at_id_idx" ON "runs"("trigger_id", "created_at", "id")
  WHERE "trigger_id" IS NOT NULL;
