-- A run can also be inserted already finished (a sync run of pure nodes is written once, when it
-- finishes): its callback is queued then as it is when an update finishes a run, by the same
-- function, so whether a run's first write is an INSERT or an UPDATE does not decide its callback.
CREATE TRIGGER "runs_queue_callback_on_insert" AFTER INSERT ON "runs"
  FOR EACH ROW
  WHEN (NEW.status IN ('completed', 'failed', 'stopped') AND NEW.callback_url IS NOT NULL)
  EXECUTE FUNCTION "runloom_queue_callback"();
