import { FINISHED_RUN_STATUSES_SQL, LIVE_RUN_STATUSES_SQL } from '../common/run-status.js';
import { deleteUnlockedRunJobs, insertNewRunJob, LAST_QUEUE_PLACE, queueRunJob } from '../database/queue-jobs.js';
import { limitOf, liveRootRuns } from '../database/group-usage.sql.js';
import { columnList, fieldsWithout, insertValues, recordValues } from '../database/sql-columns.js';
import { ASYNC_COMMIT } from '../database/async-commit.js';
import { RUN_COLUMNS } from './run-row.js';
import { ancestorEnded } from './run-trees.sql.js';
import { wakeDue } from '../waits/waits.sql.js';
import { NODE_RUN_RECORD_COLUMNS, RUN_EVENT_RECORD_COLUMNS } from './run-records.js';
import { journalNodeRuns } from '../database/run-journal.sql.js';

const NODE_RUN_COLUMNS: string[] = Object.values(NODE_RUN_RECORD_COLUMNS);
const EVENT_COLUMNS: string[] = Object.values(RUN_EVENT_RECORD_COLUMNS);

/** Upserts the node runs of a JSON array parameter (NodeRunRecords) for the run the CTE `source` holds. */
function upsertNodeRuns(source: string, param: string): string {
  const updated = NODE_RUN_COLUMNS.filter((name) => name !== 'node_id').map((name) => `${name} = EXCLUDED.${name}`);
  return `
    INSERT INTO node_runs (id, run_id, ${NODE_RUN_COLUMNS.join(', ')})
    SELECT gen_random_uuid(), ${source}.id, ${NODE_RUN_COLUMNS.map((name) => `n.${name}`).join(', ')}
    FROM ${source}, jsonb_populate_recordset(NULL::node_runs, ${param}::jsonb) AS n
    ON CONFLICT (run_id, node_id) DO UPDATE SET ${updated.join(', ')}`;
}

/** Inserts the events of a JSON array parameter (RunEventRecords) in their order, for the run `source` holds. */
function insertEvents(source: string, param: string): string {
  return `
    INSERT INTO run_events (run_id, ${EVENT_COLUMNS.join(', ')})
    SELECT ${source}.id, ${EVENT_COLUMNS.map((name) => `e.${name}`).join(', ')}
    FROM ${source}, ROWS FROM (jsonb_populate_recordset(NULL::run_events, ${param}::jsonb)) WITH ORDINALITY AS e
    ORDER BY e.ordinality`;
}

/**
 * The run statements, as data-modifying CTEs so each is one round trip. Events arrive as a JSON
 * array and keep their order (WITH ORDINALITY), so their ids increase as they happened. A run
 * is queued for the workers (graphile-worker's add_job) in the same statement that creates it.
 * A run that finished before it was first written is inserted whole: final state, node runs, events.
 */

/** A new run has none of these yet: a stop or the lease reaper sets them. */
const SET_AFTER_INSERT = ['lastFailure', 'stopRequestedAt'] as const;

/** INSERT_RUN's run columns: every mapped column but SET_AFTER_INSERT, so a column added to the map is inserted. */
export const INSERTED_RUN_FIELDS = fieldsWithout(RUN_COLUMNS, SET_AFTER_INSERT);

/**
 * The statement's tail once `source` holds the new runs (or none), with their `id` and `group_id`:
 * their node runs (`nodes`, JSON), events (`events`, JSON) and jobs, due `delayMs` from now (an SQL
 * integer expression; NULL: no job).
 */
function afterInsert(source: string, nodes: string, events: string, delayMs: string): string {
  return `
  node_rows AS (${upsertNodeRuns(source, nodes)}),
  events AS (${insertEvents(source, events)}),
  job AS (${insertNewRunJob(source, jobPriority(source, delayMs), delayMs)})`;
}

/**
 * A new run's place in its group's line: the group's runs queued already (the statement does not
 * see the rows it inserts, so runs of one group created by one statement share a place), counted up
 * to LAST_QUEUE_PLACE through the index of queued runs. As its job's priority it puts every group's
 * k-th queued run before anyone's (k+1)-th: a group that floods the queue waits behind its own line,
 * not in front of everyone else's.
 */
function placeInGroupLine(source: string): string {
  return `(
    SELECT count(*)::int FROM (
      SELECT FROM runs WHERE runs.group_id = ${source}.group_id AND runs.status = 'queued' LIMIT ${LAST_QUEUE_PLACE}
    ) AS ahead)`;
}

/**
 * A queued run's job priority: its place in its group's line, except for a run handed off to the
 * instance that created it (a delayed job, `delayMs` > 0; LocalRuns), which waits its turn in that
 * instance's line instead. Its job reaches the queue only if the instance dies or stops before
 * starting it, and then goes first, as the job of any run whose holder died (ENQUEUE_RUN): it has
 * waited its turn already. Its creation does not read its group's line.
 */
function jobPriority(source: string, delayMs: string): string {
  return `CASE WHEN ${delayMs} > 0 THEN 0 ELSE ${placeInGroupLine(source)} END`;
}

/**
 * Parameters: $1 the events, $2 the delay in ms of the run's job (NULL: not queued; more than 0: a
 * run handed off to this instance, see LocalRuns), $3 its node runs (a run inserted finished),
 * then the run's INSERTED_RUN_FIELDS. For child runs and sync runs written after they started,
 * which no limit refuses. A run inserted without its job (sync and child runs, which run where
 * they are created) does not count its group's line.
 */
export const INSERT_RUN = `
  WITH inserted AS (
    INSERT INTO runs ${insertValues(RUN_COLUMNS, INSERTED_RUN_FIELDS, 4)}
    -- a repeated idempotency key, or a child run its parent already started
    ON CONFLICT DO NOTHING
    RETURNING id, group_id
  ),${afterInsert('inserted', '$3', '$1', '$2::int')}
  SELECT (SELECT count(*)::int FROM inserted) AS inserted, (SELECT count(*)::int FROM job) AS enqueued`;

/**
 * Pure sync runs that finished before they were first written, each inserted whole as one row, many
 * in one statement (WriteBatches): $1 a JSON array, one object per run: its INSERTED_RUN_FIELDS by
 * column (recordJson) and `journal` (RunJournal: its node runs and events). One nextval per run takes
 * the block of ids of its events (see the migration run_journals). Nothing to queue: they are over.
 * Returns the ids of the runs inserted; a run missing was there already (an earlier insert of it
 * committed unseen).
 */
export const INSERT_JOURNALED_RUNS = `
  INSERT INTO runs (${columnList(RUN_COLUMNS, INSERTED_RUN_FIELDS)}, journal, journal_first_event_id)
  SELECT ${recordValues(RUN_COLUMNS, INSERTED_RUN_FIELDS, 'run')}, run.journal, nextval('run_events_id_seq')
  FROM json_array_elements($1::json) WITH ORDINALITY AS element(value, place),
    json_populate_record(NULL::runs, element.value) AS run
  ORDER BY element.place
  ON CONFLICT DO NOTHING
  RETURNING id`;

/**
 * INSERT_RUN for runs created through the API or by a schedule, which their group's max_active_runs
 * refuses; many in one statement (WriteBatches). $1 a JSON array, one object per run: its
 * INSERTED_RUN_FIELDS by column (recordJson), and `events`, `nodes` (its node runs: a retry's
 * reused ones), `job_delay_ms` (as INSERT_RUN's $2) and `default_limit`, the deployment's
 * max_active_runs, which the group's own value in `groups.limits` overrides. The check and the
 * insert are one statement, so the check costs no round trip; it reads each group's live root runs
 * from the counter triggers keep (liveRootRuns), whatever the length of its queue, and counts the
 * group's runs before each one in the statement as live (`ahead_in_statement`; one refused for its
 * idempotency key still counts, so a run after it may be refused early). Statements running at
 * the same moment do not see each other's runs (READ COMMITTED takes one snapshot per statement),
 * so a group can pass its limit by at most the runs of the other statements in flight then. One
 * row per run: `inserted` (else its idempotency key or schedule tick was taken, or its group is at
 * its limit), `active`, the group's count it was checked against, and `limit_value`, its limit.
 */
export const INSERT_RUNS_WITHIN_LIMIT = `
  WITH new_runs AS (
    SELECT element.place, element.value -> 'events' AS events, element.value -> 'nodes' AS nodes,
      (element.value ->> 'job_delay_ms')::int AS job_delay_ms, (element.value ->> 'default_limit')::int AS default_limit,
      (count(*) OVER (PARTITION BY run.group_id ORDER BY element.place))::int - 1 AS ahead_in_statement, run.*
    FROM json_array_elements($1::json) WITH ORDINALITY AS element(value, place),
      json_populate_record(NULL::runs, element.value) AS run
  ),
  room AS (
    SELECT new_runs.group_id,
      ${limitOf('max_active_runs', 'new_runs.group_id', 'min(new_runs.default_limit)')} AS limit_value,
      ${liveRootRuns('new_runs.group_id')} AS active
    FROM new_runs GROUP BY new_runs.group_id
  ),
  inserted AS (
    INSERT INTO runs (${columnList(RUN_COLUMNS, INSERTED_RUN_FIELDS)})
    SELECT ${recordValues(RUN_COLUMNS, INSERTED_RUN_FIELDS, 'new_runs')}
    FROM new_runs JOIN room ON room.group_id = new_runs.group_id
    WHERE room.active + new_runs.ahead_in_statement < room.limit_value
    ORDER BY new_runs.place
    -- a repeated idempotency key, or a schedule's tick another instance started
    ON CONFLICT DO NOTHING
    RETURNING id, group_id
  ),
  created AS (
    SELECT new_runs.id, new_runs.group_id, new_runs.events, new_runs.nodes, new_runs.job_delay_ms
    FROM new_runs JOIN inserted ON inserted.id = new_runs.id
  ),${afterInsert('created', 'created.nodes', 'created.events', 'created.job_delay_ms')}
  SELECT new_runs.id, inserted.id IS NOT NULL AS inserted, room.active + new_runs.ahead_in_statement AS active,
    room.limit_value
  FROM new_runs JOIN room ON room.group_id = new_runs.group_id LEFT JOIN inserted ON inserted.id = new_runs.id`;

/**
 * Only the lease holder may write: a holder that stalled past its lease and was replaced writes
 * nothing (its node runs would overwrite the new attempt's), and learns so from `held`.
 */
export const FLUSH_RUN = `
  WITH lease AS (
    SELECT id FROM runs WHERE id = $1::uuid AND lease_owner = $9 FOR UPDATE
  ),
  node_rows AS (${upsertNodeRuns('lease', '$2')}),
  event_rows AS (${insertEvents('lease', '$3')}),
  run_row AS (
    UPDATE runs SET
      progress = $4,
      status = COALESCE($5::"RunStatus", status),
      output = COALESCE($6::jsonb, output),
      error = COALESCE($7::jsonb, error),
      finished_at = COALESCE($8::timestamptz, finished_at),
      lease_owner = CASE WHEN $8::timestamptz IS NULL THEN lease_owner END,
      lease_expires_at = CASE WHEN $8::timestamptz IS NULL THEN lease_expires_at END
    WHERE id IN (SELECT id FROM lease)
  )
  SELECT count(*)::int AS held FROM lease`;

/**
 * Parks run $1 held by $6 (a durable wait): writes its node runs ($2) and events ($3) and progress
 * ($4), gives up the lease and the attempt (`parks` + 1), and queues the job that wakes it at $5,
 * its nodes' earliest `waiting_until` (none when they wait for signals only). Tells whether a stop
 * was requested meanwhile: the run must then be stopped, as nobody will claim it.
 */
export const PARK_RUN = `
  WITH lease AS (
    SELECT id, group_id FROM runs WHERE id = $1::uuid AND lease_owner = $6 FOR UPDATE
  ),
  node_rows AS (${upsertNodeRuns('lease', '$2')}),
  event_rows AS (${insertEvents('lease', '$3')}),
  run_row AS (
    UPDATE runs SET progress = $4, status = 'waiting', parks = parks + 1, lease_owner = NULL, lease_expires_at = NULL
    WHERE id IN (SELECT id FROM lease)
    RETURNING stop_requested_at IS NOT NULL OR ${ancestorEnded('runs')} AS stop_requested
  ),
  wake AS (
    SELECT ${queueRunJob('id::text', 'group_id::text', "run_at := $5::timestamptz, job_key_mode := 'replace'")}
    FROM lease WHERE $5::timestamptz IS NOT NULL
  )
  SELECT (SELECT count(*)::int FROM lease) AS held, (SELECT count(*)::int FROM wake) AS woken,
    COALESCE((SELECT stop_requested FROM run_row), false) AS stop_requested`;

/** The run's mapped columns: what rowToRun reads, so the claim returns no more than that. */
const RUN_COLUMN_LIST = columnList(RUN_COLUMNS, fieldsWithout(RUN_COLUMNS, []));

/**
 * Takes a run for this instance if nobody holds a live lease on it and it has attempts left (parks
 * give theirs back); a waiting run only once its wait is over (wakeDue). Records `run.started`, and
 * deletes the run's job if no worker holds it (a run handed off to this instance, LocalRuns).
 * Returns the mapped columns by name rather than `*`, so the prepared statement's row shape does
 * not depend on columns added to the table. Committed without waiting for its WAL flush
 * (ASYNC_COMMIT): a claim lost with the database's crash only leaves the run queued, as it was, with
 * its job; any later write of the run waits for the flush, which makes the claim durable first.
 */
export const CLAIM_RUN = `
  WITH claimed AS (
    UPDATE runs SET status = 'running', lease_owner = $2, lease_expires_at = now() + $3 * interval '1 millisecond',
      attempt = attempt + 1, started_at = COALESCE(started_at, now())
    WHERE id = $1::uuid AND status IN (${LIVE_RUN_STATUSES_SQL}) AND stop_requested_at IS NULL
      AND (lease_owner IS NULL OR lease_expires_at < now()) AND attempt - parks < $4
      AND (status <> 'waiting' OR ${wakeDue('runs')}) AND NOT ${ancestorEnded('runs')}
    RETURNING ${RUN_COLUMN_LIST}
  ),
  started AS (
    INSERT INTO run_events (run_id, type, data)
    SELECT id, 'run.started', jsonb_build_object('status', 'running', 'attempt', attempt) FROM claimed
  ),
  job AS (${deleteUnlockedRunJobs('claimed')}),
  commit_mode AS (SELECT ${ASYNC_COMMIT} AS async_commit)
  SELECT ${RUN_COLUMN_LIST} FROM claimed, job, commit_mode`;

/** The run columns TAKE_FINISHED_RUNS writes from each run's object, beside its journal. */
export const TAKEN_FIELDS = ['id', 'status', 'progress', 'output', 'error', 'startedAt', 'finishedAt'] as const;

/**
 * Runs handed off to this instance (LocalRuns) that executed without being claimed and finished,
 * each written finished if it is still as it was created: queued, never claimed, no stop asked, and
 * nobody following it (a follower is woken by event rows, which a journal has none of). Many in one
 * statement (WriteBatches): $1 their ids, $2 a JSON array, in the order of $1, one object per run:
 * its TAKEN_FIELDS by column (recordJson) and `journal` (RunJournal: its node runs and the events
 * after `run.queued`, which is a row already). Their jobs go with them. One row per run, in no
 * particular order: `taken`; else `followed` (write it as a claimed run instead); else someone else
 * took, stopped or deleted it. The rows are locked in the order of their ids, as any statement that
 * locks several runs by id.
 *
 * The status is compared as text, which no index serves: only the key can reach the rows. Compared
 * as the enum, the prepared statement's generic plan (made on its first executions, while the table
 * is small, and kept) took an index on the status instead — the partial index of queued runs, or
 * (status, lease_expires_at) — and read the whole queue at each take: 750–1,300 buffers, 2–3 ms
 * under an async flood.
 */
export const TAKE_FINISHED_RUNS = `
  WITH finished AS (
    SELECT run.id, run.status, run.progress, run.output -> 0 AS output, run.error -> 0 AS error, run.started_at,
      run.finished_at, run.journal
    FROM json_array_elements($2::json) AS element(value), json_populate_record(NULL::runs, element.value) AS run
  ),
  current AS (
    -- Locked first, so a follower's mark committed meanwhile is seen here as by the update. Only
    -- while queued: a run stopped meanwhile is not taken, and locking it would make a DELETE of it
    -- (which skips locked rows) answer 409.
    SELECT id, followed FROM runs WHERE id = ANY($1::uuid[]) AND status::text = 'queued' ORDER BY id FOR UPDATE
  ),
  taken AS (
    UPDATE runs SET status = finished.status, progress = finished.progress, output = finished.output,
      error = finished.error, attempt = 1, started_at = finished.started_at,
      finished_at = finished.finished_at, journal = finished.journal,
      journal_first_event_id = nextval('run_events_id_seq')
    FROM current, finished
    -- runs.id = ANY($1) as well as the join: the planner cannot see the CTE's ids.
    WHERE runs.id = ANY($1::uuid[]) AND runs.id = current.id AND finished.id = current.id AND NOT current.followed
      AND runs.status::text = 'queued' AND runs.attempt = 0 AND runs.lease_owner IS NULL AND runs.stop_requested_at IS NULL
    RETURNING runs.id
  ),
  job AS (${deleteUnlockedRunJobs('taken')})
  SELECT finished.id, taken.id IS NOT NULL AS taken, COALESCE(current.followed, false) AS followed,
    (SELECT count(*)::int FROM job) AS jobs_deleted
  FROM finished LEFT JOIN current ON current.id = finished.id LEFT JOIN taken ON taken.id = finished.id`;

/**
 * Extends the lease; tells the holder whether a stop was requested meanwhile, or a run above it
 * ended (its parent failed or was stopped elsewhere).
 */
export const RENEW_LEASE = `
  UPDATE runs SET lease_expires_at = now() + $3 * interval '1 millisecond'
  WHERE id = $1::uuid AND lease_owner = $2
  RETURNING stop_requested_at IS NOT NULL OR ${ancestorEnded('runs')} AS stop_requested`;

/** Gives the run back (graceful shutdown): the next claim resumes it. */
export const RELEASE_LEASE = `
  UPDATE runs SET lease_owner = NULL, lease_expires_at = now() WHERE id = $1::uuid AND lease_owner = $2`;

/**
 * What an earlier attempt finished, and what a retry took over: resuming feeds these outputs
 * downstream instead of re-running. A retry of a journaled run reads them from its journal.
 */
export const COMPLETED_NODES = `
  SELECT node_id, node_type, inputs, outputs, COALESCE(reused_from, run_id) AS executed_by
  FROM node_runs WHERE run_id = $1::uuid AND status IN ('completed', 'reused')
  UNION ALL
  SELECT node.node_id, node.node_type, node.inputs, node.outputs, COALESCE(node.reused_from, node.run_id)
  FROM runs, ${journalNodeRuns('runs')} AS node
  WHERE runs.id = $1::uuid AND runs.journal IS NOT NULL AND node.status IN ('completed', 'reused')`;

/** Attempts of nodes an earlier attempt left unfinished: their retry count goes on from these. */
export const UNFINISHED_NODE_ATTEMPTS = `
  SELECT node_id, attempts FROM node_runs
  WHERE run_id = $1::uuid AND status IN ('running', 'waiting', 'stopped') AND attempts <> '[]'::jsonb`;

/**
 * Running runs whose holder stopped renewing (it died): they need a new claim. Notes why the
 * attempt ended, unless the dead-instance reaper already did.
 */
export const EXPIRED_LEASES = `
  UPDATE runs SET last_failure = CASE WHEN last_failure LIKE format('attempt %s %%', attempt) THEN last_failure
      ELSE format('attempt %s on instance %s stopped renewing its lease', attempt, lease_owner) END
  WHERE id IN (SELECT id FROM runs WHERE status = 'running' AND lease_expires_at < now() LIMIT 100)
  RETURNING id, group_id, stop_requested_at IS NOT NULL OR ${ancestorEnded('runs')} AS stop_requested`;

/**
 * Notes why the holder's attempt failed, for the message of a run that runs out of attempts. When
 * the database was at fault ($4), the run is given back at once and the attempt does not count:
 * an outage must not turn healthy runs into poison ones.
 */
export const RECORD_FAILURE = `
  UPDATE runs SET last_failure = $3,
    lease_owner = CASE WHEN $4 THEN NULL ELSE lease_owner END,
    lease_expires_at = CASE WHEN $4 THEN now() ELSE lease_expires_at END,
    attempt = CASE WHEN $4 THEN attempt - 1 ELSE attempt END
  WHERE id = $1::uuid AND lease_owner = $2`;

/**
 * Ends the runs of `selection` that nobody is executing (still queued, parked, or their holder died) in one
 * statement: their final status and `changes`, their running node runs marked with the same
 * status, and the final event.
 */
function endUnheldRuns(status: 'failed' | 'stopped', changes: string, selection: string, eventError: string): string {
  return `
  WITH ended AS (
    UPDATE runs SET status = '${status}', finished_at = now(), lease_owner = NULL, lease_expires_at = NULL, ${changes}
    WHERE ${selection} AND status IN (${LIVE_RUN_STATUSES_SQL}) AND (lease_owner IS NULL OR lease_expires_at < now())
    RETURNING *
  ),
  nodes AS (
    UPDATE node_runs SET status = '${status}', finished_at = now()
    WHERE run_id IN (SELECT id FROM ended) AND status IN ('running', 'waiting')
  ),
  event AS (
    INSERT INTO run_events (run_id, type, data)
    SELECT id, 'run.${status}', jsonb_build_object('status', '${status}', 'error', ${eventError}, 'metadata', metadata)
    FROM ended
  )
  SELECT * FROM ended`;
}

/**
 * Fails a run that nobody holds and that has used up its attempts (a poison run: each attempt
 * crashed its instance or failed), with the last attempt's cause in the message.
 */
export const EXHAUST_RUN = endUnheldRuns(
  'failed',
  `error = jsonb_build_object('type', 'attempts_exhausted', 'node_id', NULL, 'message',
      format('The run was attempted %s times without finishing (MAX_RUN_ATTEMPTS); last cause: %s', attempt - parks,
        COALESCE(last_failure, 'unknown')))`,
  "id = $1::uuid AND stop_requested_at IS NULL AND status <> 'waiting' AND attempt - parks >= $2",
  'error',
);

/** Stops the runs of an array of ids ($1) that nobody is executing right now. */
export const STOP_UNHELD_RUNS = endUnheldRuns(
  'stopped',
  'stop_requested_at = COALESCE(stop_requested_at, now())',
  'id = ANY($1::uuid[])',
  'NULL',
);

/** A node's child runs (WorkflowNode, MapNode items), found again when the parent resumes. */
export const CHILD_RUNS = `
  SELECT * FROM runs WHERE parent_run_id = $1::uuid AND parent_node_id = $2`;

/**
 * The finished child runs of node $2 in the runs that run $1 retries (its `retry_of`, and theirs,
 * nearest first): a retried MapNode takes over its completed items (a WorkflowNode its child), and
 * retries the failed ones.
 */
export const RETRIED_CHILD_RUNS = `
  WITH RECURSIVE retried(id, distance) AS (
    SELECT retry_of, 1 FROM runs WHERE id = $1::uuid AND retry_of IS NOT NULL
    UNION ALL
    SELECT runs.retry_of, retried.distance + 1 FROM runs JOIN retried ON runs.id = retried.id
    WHERE runs.retry_of IS NOT NULL AND retried.distance < 100
  )
  SELECT child.* FROM retried JOIN runs child ON child.parent_run_id = retried.id
  WHERE child.parent_node_id = $2 AND child.status IN (${FINISHED_RUN_STATUSES_SQL})
  ORDER BY retried.distance`;

/** Whether run $1 is in the database. */
export const RUN_EXISTS = `SELECT 1 FROM runs WHERE id = $1::uuid`;

/** Queues run $1 of group $2 for a worker (again); one pending job per run, its queueing time kept. */
export const ENQUEUE_RUN = `SELECT ${queueRunJob('$1::text', '$2::text', "job_key_mode := 'preserve_run_at'")}`;

/**
 * Queues run $1 of group $2 again, to be taken no sooner than $3 ms from now, keeping $4, its job's
 * place in the group's line.
 */
export const ENQUEUE_RUN_LATER = `SELECT ${queueRunJob(
  '$1::text',
  '$2::text',
  "run_at := now() + $3 * interval '1 millisecond', priority := $4::int, job_key_mode := 'replace'",
)}`;

/** The group of run $1 while it is not finished; no row when finished or not found. */
export const UNFINISHED_RUN_GROUP = `SELECT group_id FROM runs WHERE id = $1::uuid AND status NOT IN (${FINISHED_RUN_STATUSES_SQL})`;
