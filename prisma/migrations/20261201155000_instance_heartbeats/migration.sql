-- Every running instance keeps a heartbeat here, with the graphile-worker worker ids it runs, so a
-- live instance can release a dead one's job locks and leases at once instead of waiting for
-- graphile-worker's 4-hour lock timeout.
CREATE TABLE "instances" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "role" TEXT NOT NULL,
  "worker_ids" TEXT[] NOT NULL DEFAULT '{}',
  "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "heartbeat_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);

-- Why the latest attempt of a run ended without finishing it: the message of a run that runs out
-- of attempts.
ALTER TABLE "runs" ADD COLUMN "last_failure" TEXT;
