-- A transaction that NOTIFYs takes a lock every such transaction in the cluster shares, and holds
-- it through its commit (WAL flush included): notifying commits cannot be grouped, and run writes
-- capped at a few hundred per second however many connections wrote. So run events now notify
-- only runs someone follows: a run an SSE stream or a waiting request marked `followed`, or a
-- run of a debugger session. Followers mark the run before their first read; every event
-- writer holds the run's row lock, so a writer either committed before the mark (the follower's
-- read sees its events) or checks the mark after it (and notifies).
ALTER TABLE "runs" ADD COLUMN "followed" BOOLEAN NOT NULL DEFAULT false;

-- Once per statement rather than once per row: one run's batch of events is one check.
CREATE OR REPLACE FUNCTION "runloom_notify_run_event"() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('runloom_run_events', r.id::text)
  FROM runs r
  WHERE r.id IN (SELECT DISTINCT run_id FROM new_events) AND (r.followed OR r.debugger IS NOT NULL);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER "run_events_notify" ON "run_events";
CREATE TRIGGER "run_events_notify" AFTER INSERT ON "run_events"
  REFERENCING NEW TABLE AS new_events
  FOR EACH STATEMENT EXECUTE FUNCTION "runloom_notify_run_event"();
