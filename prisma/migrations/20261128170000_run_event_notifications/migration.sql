-- Every instance that streams a run's events (SSE) listens on this channel. PostgreSQL folds
-- identical notifications within one transaction, so a batch of events costs one notification.
CREATE FUNCTION "runloom_notify_run_event"() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('runloom_run_events', NEW.run_id::text);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "run_events_notify" AFTER INSERT ON "run_events"
  FOR EACH ROW EXECUTE FUNCTION "runloom_notify_run_event"();
