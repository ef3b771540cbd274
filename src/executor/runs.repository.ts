import { Inject, Injectable } from '@nestjs/common';
import type { Run, RunStatus } from '../generated/prisma/client.js';
import { PG_POOL, type PgPool } from '../database/database.tokens.js';
import { PrismaService } from '../database/prisma.service.js';
import { QueueNudge } from '../database/queue-nudge.js';
import type { CompletedNode, NodeAttempt } from '../execution/engine/index.js';
import {
  encodeFields,
  jsonArray,
  jsonParameter as json,
  type JsonPieces,
  recordJson,
} from '../database/sql-columns.js';
import { WriteBatches } from '../database/write-batches.js';
import type { FinishedNodeRun } from './taken-over-nodes.js';
import { RUN_COLUMNS, rowToRun } from './run-row.js';
import {
  CLAIM_RUN,
  COMPLETED_NODES,
  EXHAUST_RUN,
  EXPIRED_LEASES,
  FLUSH_RUN,
  PARK_RUN,
  INSERTED_RUN_FIELDS,
  INSERT_JOURNALED_RUNS,
  INSERT_RUN,
  INSERT_RUNS_WITHIN_LIMIT,
  RECORD_FAILURE,
  RELEASE_LEASE,
  ENQUEUE_RUN,
  ENQUEUE_RUN_LATER,
  RENEW_LEASE,
  UNFINISHED_RUN_GROUP,
  RUN_EXISTS,
  TAKE_FINISHED_RUNS,
  TAKEN_FIELDS,
  UNFINISHED_NODE_ATTEMPTS,
} from './runs.sql.js';
import type { NodeRunRecord, RunEventRecord } from './run-records.js';
import { PARKED_NODES, TAKE_SIGNAL, WAKE_IF_DUE } from '../waits/waits.sql.js';
import type { EndedWait } from '../execution/node-type.js';

/** A node an earlier attempt parked in (PARKED_NODES), with what a resumed run hands it. */
export interface ParkedNode {
  nodeId: string;
  wait: EndedWait;
  /** Its record's wait columns, kept while it executes again. */
  columns: Pick<NodeRunRecord, 'waiting_until' | 'waiting_for' | 'resume_token_hash'>;
}

/** What `insertWithinLimit` did: inserted, or not (a repeated key, or `active` had reached `limit`). */
export interface LimitedInsert {
  inserted: boolean;
  /** The group's live root runs it was checked against: those before its statement, and its statement's runs of the group before it. */
  active: number;
  /** The group's max_active_runs. */
  limit: number;
}

/** What changes on the run row when the recorder flushes. */
export interface RunRowChanges {
  status?: RunStatus;
  progress: number;
  output?: unknown;
  error?: unknown;
  finishedAt?: Date;
}

/**
 * A named statement: each pooled connection parses and plans it once, then sends only its
 * parameters. For the statements every run makes (measured: less PostgreSQL CPU per run), and for
 * the claim every queued run makes.
 */
const prepared = (name: string, text: string, values: unknown[]) => ({ name, text, values });

/** INSERT_RUN's parameters; `enqueue` queues the run's job, due at once. */
export function insertRunParameters(run: Run, events: RunEventRecord[], enqueue: boolean, nodes: NodeRunRecord[] = []) {
  // A run inserted unfinished has no output or error yet: undefined is SQL NULL (null would be JSON null).
  const stored = run.finishedAt ? run : { ...run, output: undefined, error: undefined };
  return [json(events), enqueue ? 0 : null, json(nodes), ...encodeFields(RUN_COLUMNS, INSERTED_RUN_FIELDS, stored)];
}

/** What a handed-off run's finished state writes (TAKE_FINISHED_RUNS). */
export interface FinishedUnclaimed extends Required<Pick<RunRowChanges, 'status' | 'progress' | 'finishedAt'>> {
  output: unknown;
  error: unknown;
  startedAt: Date;
}

export type TakeOutcome = 'taken' | 'followed' | 'gone';

interface FinishedTake {
  runId: string;
  /** The JSON text of its RunJournal. */
  journal: string;
  state: FinishedUnclaimed;
}

/** The most runs one batched statement writes: a run is a few KB, so a statement stays below a MB. */
const MOST_PER_STATEMENT = 100;

interface JournaledRun {
  run: Run;
  /** The JSON text of its RunJournal. */
  journal: string;
}

/** A run's element of INSERT_JOURNALED_RUNS' JSON array; the journal is JSON text already and goes in as it is. */
function journaledRunJson({ run, journal }: JournaledRun): JsonPieces {
  return recordJson(RUN_COLUMNS, INSERTED_RUN_FIELDS, run, { journal });
}

interface LimitedCreation {
  run: Run;
  events: RunEventRecord[];
  jobDelayMs: number | null;
  defaultLimit: number;
  nodes: NodeRunRecord[];
}

/** A creation's element of INSERT_RUNS_WITHIN_LIMIT's JSON array. */
function limitedCreationJson({ run, events, jobDelayMs, defaultLimit, nodes }: LimitedCreation): JsonPieces {
  // A run inserted unfinished has no output or error yet: undefined is SQL NULL (null would be JSON null).
  const unfinished = { ...run, output: undefined, error: undefined };
  return recordJson(RUN_COLUMNS, INSERTED_RUN_FIELDS, unfinished, {
    events: JSON.stringify(events),
    nodes: JSON.stringify(nodes),
    job_delay_ms: JSON.stringify(jobDelayMs),
    default_limit: JSON.stringify(defaultLimit),
  });
}

/** A take's element of TAKE_FINISHED_RUNS' JSON array; the journal is JSON text already and goes in as it is. */
function finishedStateJson({ runId, journal, state }: FinishedTake): JsonPieces {
  // Output and error are what the engine recorded: JSON values, as the recorder's flush writes them.
  const values = { ...state, id: runId, output: state.output as Run['output'], error: state.error as Run['error'] };
  return recordJson(RUN_COLUMNS, TAKEN_FIELDS, values, { journal });
}

/**
 * Writing runs, their node runs and events: creating, flushing, claiming, leasing, queueing (run
 * trees: RunTreesRepository). The two writes every run makes are single SQL statements sent on the
 * pool directly (runs.sql.ts), so a run costs one round trip to create and one per flush, without
 * the ORM's per-query overhead. A read by id takes the group first.
 */
@Injectable()
export class RunsRepository {
  /** Finished pure runs inserted whole, many to a statement under load (insertJournaled). */
  private readonly journaledRuns = new WriteBatches<JournaledRun, boolean>(
    (runs) => this.insertJournaledBatch(runs),
    MOST_PER_STATEMENT,
  );

  /** Runs created within their group's limit, many to a statement under load (insertWithinLimit). */
  private readonly creations = new WriteBatches<LimitedCreation, LimitedInsert>(
    (creations) => this.insertBatch(creations),
    MOST_PER_STATEMENT,
  );

  /** Takes of finished handed-off runs, written many to a statement under load (takeFinished). */
  private readonly takes = new WriteBatches<FinishedTake, TakeOutcome>(
    (takes) => this.takeBatch(takes),
    MOST_PER_STATEMENT,
  );

  constructor(
    private readonly prisma: PrismaService,
    @Inject(PG_POOL) private readonly pool: PgPool,
    private readonly nudge: QueueNudge,
  ) {}

  /**
   * Inserts the run and its first events (and `nodes`, its node runs) in one statement, and queues
   * it for a worker when `enqueue`. Returns false when the group already has a run with this
   * idempotency key (or the parent already has this child).
   */
  async insert(run: Run, events: RunEventRecord[], enqueue: boolean, nodes: NodeRunRecord[] = []): Promise<boolean> {
    const result = await this.pool.query<{ inserted: number; enqueued: number }>(
      prepared('runloom_insert_run', INSERT_RUN, insertRunParameters(run, events, enqueue, nodes)),
    );
    if (result.rows[0].enqueued) this.nudge.jobsQueued();
    return result.rows[0].inserted === 1;
  }

  /**
   * Inserts a finished run as one row, its node runs and events in `journal` (INSERT_JOURNALED_RUNS,
   * with the runs of other requests that finish meanwhile), the JSON text of a RunJournal. Returns
   * false when the run is there already (an earlier insert committed unseen).
   */
  insertJournaled(run: Run, journal: string): Promise<boolean> {
    return this.journaledRuns.add({ run, journal });
  }

  private async insertJournaledBatch(runs: JournaledRun[]): Promise<boolean[]> {
    const result = await this.pool.query<{ id: string }>(
      prepared('runloom_insert_journaled_runs', INSERT_JOURNALED_RUNS, [jsonArray(runs.map(journaledRunJson))]),
    );
    const inserted = new Set(result.rows.map((row) => row.id));
    return runs.map(({ run }) => inserted.has(run.id));
  }

  /**
   * `insert` for a run created through the API or by a schedule: not inserted when its group already
   * has its max_active_runs (`defaultLimit` unless the group overrides it) runs queued or running.
   * Its job is due `jobDelayMs` from now (null: no job; more than 0: the run is handed off to this
   * instance, LocalRuns, and no worker is woken for it). `nodes` are written with it (a retry's
   * reused node runs).
   */
  insertWithinLimit(
    run: Run,
    events: RunEventRecord[],
    jobDelayMs: number | null,
    defaultLimit: number,
    nodes: NodeRunRecord[] = [],
  ): Promise<LimitedInsert> {
    return this.creations.add({ run, events, jobDelayMs, defaultLimit, nodes });
  }

  private async insertBatch(creations: LimitedCreation[]): Promise<LimitedInsert[]> {
    const result = await this.pool.query<{ id: string; inserted: boolean; active: number; limit_value: number }>(
      prepared('runloom_insert_runs_within_limit', INSERT_RUNS_WITHIN_LIMIT, [
        jsonArray(creations.map(limitedCreationJson)),
      ]),
    );
    const inserts = new Map(
      result.rows.map((row) => [row.id, { inserted: row.inserted, active: row.active, limit: row.limit_value }]),
    );
    if (creations.some((creation) => creation.jobDelayMs === 0 && inserts.get(creation.run.id)!.inserted)) {
      this.nudge.jobsQueued();
    }
    return creations.map((creation) => inserts.get(creation.run.id)!);
  }

  /**
   * Writes a handed-off run that finished without being claimed, with its journal (TAKE_FINISHED_RUNS,
   * with the takes of other runs that finish meanwhile): `taken`, or `followed` (write it claimed
   * instead), or `gone` (someone else took, stopped or deleted it).
   */
  takeFinished(runId: string, journal: string, state: FinishedUnclaimed): Promise<TakeOutcome> {
    return this.takes.add({ runId, journal, state });
  }

  private async takeBatch(takes: FinishedTake[]): Promise<TakeOutcome[]> {
    const result = await this.pool.query<{ id: string; taken: boolean; followed: boolean }>(
      prepared('runloom_take_finished_runs', TAKE_FINISHED_RUNS, [
        takes.map((take) => take.runId),
        jsonArray(takes.map(finishedStateJson)),
      ]),
    );
    const outcomes = new Map(
      result.rows.map((row) => [row.id, row.taken ? 'taken' : row.followed ? 'followed' : 'gone'] as const),
    );
    return takes.map((take) => outcomes.get(take.runId)!);
  }

  /**
   * Writes what the recorder buffered: node run upserts, events (in order), and the run row's
   * changes, atomically, in one statement — if `owner` still holds the run's lease. Returns
   * whether it did.
   */
  async flush(
    runId: string,
    owner: string,
    nodes: NodeRunRecord[],
    events: RunEventRecord[],
    changes: RunRowChanges,
  ): Promise<boolean> {
    const result = await this.pool.query<{ held: number }>(
      prepared('runloom_flush_run', FLUSH_RUN, [
        runId,
        json(nodes),
        json(events),
        changes.progress,
        changes.status ?? null,
        json(changes.output),
        json(changes.error),
        changes.finishedAt ?? null,
        owner,
      ]),
    );
    return result.rows[0].held === 1;
  }

  /**
   * Parks the run `owner` holds (see PARK_RUN); undefined when the lease was lost, else whether a
   * stop was requested meanwhile.
   */
  async park(
    runId: string,
    owner: string,
    nodes: NodeRunRecord[],
    events: RunEventRecord[],
    progress: number,
    wakeAt: Date | null,
  ): Promise<{ held: boolean; stopRequested: boolean }> {
    const result = await this.pool.query<{ held: number; stop_requested: boolean }>(PARK_RUN, [
      runId,
      json(nodes),
      json(events),
      progress,
      wakeAt,
      owner,
    ]);
    return { held: result.rows[0].held === 1, stopRequested: result.rows[0].stop_requested };
  }

  /** Queues the waiting run at once if its wait is over (a signal it waits for is there, or its time). */
  async wakeIfDue(runId: string): Promise<void> {
    await this.pool.query(WAKE_IF_DUE, [runId]);
  }

  /**
   * The nodes an earlier attempt parked in, each with its wait: a SignalNode takes its signal here
   * (the one taken for it already, else the oldest of its name), in the order the nodes parked.
   */
  async parkedNodes(runId: string): Promise<ParkedNode[]> {
    const rows = (
      await this.pool.query<{
        node_id: string;
        waiting_until: Date | null;
        waiting_for: string | null;
        resume_token_hash: string | null;
      }>(PARKED_NODES, [runId])
    ).rows;
    const parked: ParkedNode[] = [];
    for (const row of rows) {
      const wait: EndedWait = { until: row.waiting_until };
      if (row.waiting_for !== null) {
        const taken = await this.pool.query<{ payload: unknown }>(TAKE_SIGNAL, [runId, row.node_id, row.waiting_for]);
        if (taken.rows[0]) wait.signal = { payload: taken.rows[0].payload };
      }
      const columns = {
        waiting_until: row.waiting_until?.toISOString() ?? null,
        waiting_for: row.waiting_for,
        resume_token_hash: row.resume_token_hash,
      };
      parked.push({ nodeId: row.node_id, wait, columns });
    }
    return parked;
  }

  /**
   * Takes the run for `owner` unless someone holds a live lease or it has had `maxAttempts`
   * claims; null when it cannot be taken.
   */
  async claim(runId: string, owner: string, leaseMs: number, maxAttempts: number): Promise<Run | null> {
    const result = await this.pool.query(
      prepared('runloom_claim_run', CLAIM_RUN, [runId, owner, leaseMs, maxAttempts]),
    );
    return result.rows[0] ? rowToRun(result.rows[0]) : null;
  }

  /** Fails an unheld run that had `maxAttempts` claims already; null when that is not the case. */
  async exhaust(runId: string, maxAttempts: number): Promise<Run | null> {
    const result = await this.pool.query(EXHAUST_RUN, [runId, maxAttempts]);
    return result.rows[0] ? rowToRun(result.rows[0]) : null;
  }

  /** Notes why `owner`'s attempt failed; `databaseAtFault` gives the run back without counting the attempt. */
  async recordFailure(runId: string, owner: string, cause: string, databaseAtFault: boolean): Promise<void> {
    await this.pool.query(RECORD_FAILURE, [runId, owner, cause, databaseAtFault]);
  }

  /** Extends the lease; undefined when the lease was lost, else whether a stop was requested. */
  async renewLease(runId: string, owner: string, leaseMs: number): Promise<boolean | undefined> {
    const result = await this.pool.query<{ stop_requested: boolean }>(RENEW_LEASE, [runId, owner, leaseMs]);
    return result.rows[0]?.stop_requested;
  }

  async releaseLease(runId: string, owner: string): Promise<void> {
    await this.pool.query(RELEASE_LEASE, [runId, owner]);
  }

  async completedNodes(runId: string): Promise<Map<string, CompletedNode>> {
    const finished = await this.finishedNodeRuns(runId);
    return new Map(finished.map((node) => [node.nodeId, { inputs: node.inputs, outputs: node.outputs }]));
  }

  /** The run's completed and taken-over node runs: what resuming it, or retrying it, takes over. */
  async finishedNodeRuns(runId: string): Promise<FinishedNodeRun[]> {
    const result = await this.pool.query<{
      node_id: string;
      node_type: string;
      inputs: Record<string, unknown> | null;
      outputs: Record<string, unknown> | null;
      executed_by: string;
    }>(COMPLETED_NODES, [runId]);
    return result.rows.map((row) => ({
      nodeId: row.node_id,
      nodeType: row.node_type,
      inputs: row.inputs ?? {},
      outputs: row.outputs ?? {},
      executedBy: row.executed_by,
    }));
  }

  async unfinishedNodeAttempts(runId: string): Promise<Map<string, NodeAttempt[]>> {
    const result = await this.pool.query<{ node_id: string; attempts: NodeAttempt[] }>(UNFINISHED_NODE_ATTEMPTS, [
      runId,
    ]);
    return new Map(result.rows.map((row) => [row.node_id, row.attempts]));
  }

  async expiredLeases(): Promise<{ id: string; groupId: string; stopRequested: boolean }[]> {
    const result = await this.pool.query<{ id: string; group_id: string; stop_requested: boolean }>(EXPIRED_LEASES);
    return result.rows.map((row) => ({ id: row.id, groupId: row.group_id, stopRequested: row.stop_requested }));
  }

  /** Queues the run for a worker (again); one pending job per run. */
  async enqueue(runId: string, groupId: string): Promise<void> {
    await this.pool.query(ENQUEUE_RUN, [runId, groupId]);
  }

  /**
   * Queues the run again, to be taken no sooner than `delayMs` from now, keeping `priority`, its
   * job's place in the group's line.
   */
  async enqueueLater(runId: string, groupId: string, delayMs: number, priority: number): Promise<void> {
    await this.pool.query(ENQUEUE_RUN_LATER, [runId, groupId, delayMs, priority]);
  }

  /** Whether the run is in the database. */
  async exists(runId: string): Promise<boolean> {
    return (await this.pool.query(RUN_EXISTS, [runId])).rowCount === 1;
  }

  /** The group of a run not yet finished; null when finished or not found. */
  async unfinishedRunGroup(runId: string): Promise<string | null> {
    const result = await this.pool.query<{ group_id: string }>(UNFINISHED_RUN_GROUP, [runId]);
    return result.rows[0]?.group_id ?? null;
  }

  /** Frees a key whose window has passed, so it can name a new run. */
  async expireIdempotencyKey(groupId: string, key: string, createdBefore: Date): Promise<void> {
    await this.prisma.run.updateMany({
      where: { groupId, idempotencyKey: key, createdAt: { lt: createdBefore } },
      data: { idempotencyKey: null },
    });
  }

  find(groupId: string, id: string): Promise<Run | null> {
    return this.prisma.run.findFirst({ where: { id, groupId } });
  }
}
