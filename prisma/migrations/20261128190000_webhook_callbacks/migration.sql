-- One callback message per finished run that has a callback_url: its Standard Webhooks id (the
-- same on every attempt) and which delivery chain is current (1 = sent when the run finished,
-- +1 per redelivery; attempts of an older chain stop).
CREATE TABLE "webhook_messages" (
    "run_id" UUID NOT NULL,
    "message_id" TEXT NOT NULL,
    "chain" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_messages_pkey" PRIMARY KEY ("run_id")
);

ALTER TABLE "webhook_messages" ADD CONSTRAINT "webhook_messages_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Attempts are numbered within their chain; each is recorded once.
ALTER TABLE "webhook_deliveries" ADD COLUMN "chain" INTEGER NOT NULL DEFAULT 1;
DROP INDEX "webhook_deliveries_run_id_created_at_idx";
CREATE UNIQUE INDEX "webhook_deliveries_run_id_chain_attempt_key" ON "webhook_deliveries"("run_id", "chain", "attempt");

-- When a run with a callback_url reaches a final status, its first delivery attempt is queued in
-- the same transaction, whichever statement finished it (executor, stop, lease reaper): a crash
-- between "run finished" and "callback queued" cannot happen. The transition test (from queued or
-- running) queues it once. graphile-worker's schema is installed right after these migrations.
CREATE FUNCTION "runloom_queue_callback"() RETURNS trigger AS $$
BEGIN
  INSERT INTO "webhook_messages" ("run_id", "message_id") VALUES (NEW.id, 'msg_' || NEW.id)
    ON CONFLICT ("run_id") DO NOTHING;
  PERFORM graphile_worker.add_job('deliver_callback',
    json_build_object('runId', NEW.id, 'chain', 1, 'attempt', 1),
    job_key := 'callback:' || NEW.id || ':1');
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "runs_queue_callback" AFTER UPDATE OF "status" ON "runs"
  FOR EACH ROW
  WHEN (OLD.status IN ('queued', 'running') AND NEW.status IN ('completed', 'failed', 'stopped')
    AND NEW.callback_url IS NOT NULL)
  EXECUTE FUNCTION "runloom_queue_callback"();
