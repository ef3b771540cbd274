import type { AuditActor } from '../common/audit-events.js';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Prisma, Run, RunMode } from '../generated/prisma/client.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Page, toPage } from '../common/pagination.js';
import { groupLimit } from '../config/group-limits.js';
import {
  ConflictProblem,
  DatabaseUnavailableProblem,
  LimitExceededProblem,
  NotFoundProblem,
  RunOutcomeUnknownProblem,
  ValidationProblem,
} from '../common/problem.js';
import { DatabaseAvailability } from '../database/database-availability.js';
import { isDatabaseError } from '../database/transient-errors.js';
import { nodeAttemptsFromJson, prepareRun, type PreparedRun } from '../execution/engine/index.js';
import type { RunEventRecord } from '../executor/run-records.js';
import type { TakenOverNodes } from '../executor/taken-over-nodes.js';
import { ResumeLinks } from '../waits/resume-links.js';
import { signalNodesOf } from '../waits/signal-nodes.js';
import { newTraceId, parseTraceparent } from '../observability/trace-context.js';
import { builtInNodeTypes } from '../execution/nodes/index.js';
import { RetentionRepository } from './retention/retention.repository.js';
import { RunnableDefinition, RunnableDefinitions } from '../definitions/runnable-definitions.js';
import { CreateRunBody } from './dto/create-run.dto.js';
import { NodeRunResponse, RunListQuery, toNodeRunResponse } from './dto/run.dto.js';
import { mayWriteAtFinish, PendingRun } from '../executor/pending-run.js';
import { IDEMPOTENCY_WINDOW_MS, requestHash } from './idempotency.js';
import { newRun } from '../executor/new-run.js';
import { ExecutionService } from '../executor/execution.service.js';
import { runLocation } from './run-location.js';
import { definitionNotFound, preparedOrProblem } from './run-preparation.js';
import { isFinished, isFinishedOrParked, RunWatcher } from '../run-events/run-watcher.js';
import { RunsRepository } from '../executor/runs.repository.js';
import { HANDOFF_MS, heldBytes, LocalRuns } from '../executor/local-runs.js';
import { RunQueries } from './run-queries.js';

/** What a 503 says when a run's first write failed without telling whether it was committed. */
const RUN_MAYBE_STORED =
  'The database went away while this run was being written; whether it was stored cannot be told now. ' +
  'Retry with an Idempotency-Key to make such retries safe.';

/** How long `POST /v1/runs/{id}/stop` waits for the executing instance to confirm. */
const STOP_WAIT_MS = 10_000;

export interface RunRequest {
  groupId: string;
  workflowId: string;
  body: CreateRunBody;
  useOutputIds: boolean;
  idempotencyKey?: string;
  /** The caller's W3C `traceparent` header: with `tracing`, the run's trace continues it. */
  traceparent?: string;
  /** Set when a schedule starts the run: the schedule and the tick it starts it for. */
  schedule?: { id: string; tick: Date };
  /** Set when a webhook trigger's delivery starts the run. */
  triggerId?: string;
}

/** A run made and planned, not yet in the database. */
export interface NewRun {
  run: Run;
  events: RunEventRecord[];
  prepared: PreparedRun;
  /** A retry's node runs taken over from the run it retries: written with it, walked as completed. */
  reused?: TakenOverNodes;
}

/** The run as inserted, with what executing it here needs; only its run when an earlier request made it. */
interface CreatedRun {
  run: Run;
  prepared?: PreparedRun;
  pending?: PendingRun;
  completed?: TakenOverNodes['completed'];
}

export interface SyncOutcome {
  run: Run;
  /** False when the wait limit passed first; the run goes on in the background. */
  finished: boolean;
}

@Injectable()
export class RunsService {
  private readonly logger = new Logger(RunsService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly definitions: RunnableDefinitions,
    private readonly runs: RunsRepository,
    private readonly queries: RunQueries,
    private readonly executor: ExecutionService,
    private readonly watcher: RunWatcher,
    private readonly retention: RetentionRepository,
    private readonly availability: DatabaseAvailability,
    private readonly resumeLinks: ResumeLinks,
    private readonly localRuns: LocalRuns,
  ) {}

  /**
   * Creates the run and executes it here, waiting up to SYNC_RUN_TIMEOUT_MS. The run row and its
   * first events exist before any node with external effects executes; a run of pure nodes may be
   * written when it finishes, whole (mayWriteAtFinish). A repeated Idempotency-Key waits for the run
   * the first request created instead.
   */
  async runSync(request: RunRequest): Promise<SyncOutcome> {
    return this.launch(await this.build(request, 'sync'), request.idempotencyKey);
  }

  /** Creates the run queued for a worker; returns at once. */
  async runAsync(request: RunRequest): Promise<Run> {
    return (await this.insert(await this.build(request, 'async'), request.idempotencyKey)).run;
  }

  /**
   * Creates a run built elsewhere (a retry or replay, RunRetries) or here: a sync one is executed
   * here as runSync's, an async one is queued and answered unfinished.
   */
  async launch(newRun: NewRun, idempotencyKey: string | undefined): Promise<SyncOutcome> {
    const created = await this.insert(newRun, idempotencyKey);
    const { run, prepared, pending } = created;
    if (newRun.run.mode === 'async') return { run, finished: false };
    try {
      return prepared ? await this.executeHere(created) : await this.waitFor(run);
    } catch (error) {
      // A failing node or engine ends the run `failed` and is answered as such; what still gets
      // here is the database's failure (503: the run goes on elsewhere) or a bug of ours (500).
      if (!isDatabaseError(error)) throw error;
      const stored = pending ? await pending.stored() : true;
      if (!this.availability.failed('a sync run', error)) {
        this.logger.warn({ err: error, runId: run.id, stored }, 'sync run outcome unknown');
      }
      // The answer names the run only when it is certainly in the database.
      if (stored) throw new RunOutcomeUnknownProblem(run.id, runLocation(run));
      throw new DatabaseUnavailableProblem(stored === undefined ? RUN_MAYBE_STORED : undefined);
    }
  }

  private async executeHere({ run, prepared, pending, completed }: CreatedRun): Promise<SyncOutcome> {
    const execution = this.executor.execute(run, { prepared, pending, completed });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.config.syncRunTimeoutMs);
    });
    try {
      const finished = await Promise.race([execution, timedOut]);
      // A run that parked is answered at once: nobody is held for a wait they cannot outlast.
      if (finished && finished !== 'timeout') return { run: finished, finished: isFinished(finished) };
    } finally {
      clearTimeout(timer);
    }
    execution.catch((error: unknown) => this.logger.error({ err: error, runId: run.id }, 'background run failed'));
    // The 202 names the run: it must be in the database.
    await pending?.ensureWritten();
    const latest = (await this.runs.find(run.groupId, run.id)) ?? run;
    return { run: latest, finished: isFinished(latest) };
  }

  private async waitFor(run: Run): Promise<SyncOutcome> {
    const read = () => this.runs.find(run.groupId, run.id);
    const latest =
      (await this.watcher.waitForEnd(run.groupId, run.id, read, this.config.syncRunTimeoutMs, isFinishedOrParked)) ??
      run;
    return { run: latest, finished: isFinished(latest) };
  }

  /** Throws the problem creating this run would answer with (404, 422), without creating it. */
  async check(groupId: string, workflowId: string, body: CreateRunBody): Promise<void> {
    await this.runnableDefinition(groupId, workflowId, body);
  }

  /** The definition the run would execute, planned and with its input checked. */
  private async runnableDefinition(
    groupId: string,
    workflowId: string,
    body: CreateRunBody,
  ): Promise<RunnableDefinition & { prepared: PreparedRun }> {
    const versionId = body.workflow_version_id;
    const runnable = await this.definitions.find(groupId, workflowId, versionId?.toLowerCase());
    if (!runnable) throw definitionNotFound(workflowId, versionId);
    const prepared = prepareRun(runnable.definition, body.input, builtInNodeTypes, {
      nodeIds: body.node_ids,
      singleNodeId: body.single_node_id,
    });
    return { ...runnable, prepared: preparedOrProblem(prepared) };
  }

  /** The run a create-run request asks for, planned and with its input checked. */
  private async build(request: RunRequest, mode: RunMode): Promise<NewRun> {
    const { groupId, workflowId, body, useOutputIds, idempotencyKey } = request;
    const { json, versionId, prepared } = await this.runnableDefinition(groupId, workflowId, body);
    const incomingTrace = body.tracing ? parseTraceparent(request.traceparent) : undefined;
    const { run, events } = newRun(
      {
        groupId,
        workflowId,
        workflowVersionId: versionId,
        definition: json,
        mode,
        input: body.input as Prisma.JsonValue,
        nodeIds: body.node_ids ?? null,
        singleNodeId: body.single_node_id ?? null,
        useOutputIds,
        tracing: body.tracing ?? false,
        traceId: body.tracing ? (incomingTrace?.traceId ?? newTraceId()) : null,
        traceParent: incomingTrace?.header ?? null,
        debugger: body.debugger ?? null,
        callbackUrl: body.callback_url ?? null,
        idempotencyKey: idempotencyKey ?? null,
        requestHash: idempotencyKey ? requestHash(workflowId, body, useOutputIds) : null,
        scheduleId: request.schedule?.id ?? null,
        scheduledFor: request.schedule?.tick ?? null,
        triggerId: request.triggerId ?? null,
        metadata: body.metadata ?? {},
      },
      mode === 'sync',
    );
    return { run, events, prepared };
  }

  /**
   * Inserts the run within its group's max_active_runs, or finds the run an earlier request with
   * the same Idempotency-Key created (then without its plan: that request executes it). A pure
   * sync run is held in `pending` until it finishes (mayWriteAtFinish); a retry's reused node runs
   * are written with the run, before anyone can execute it.
   */
  private async insert(newRun: NewRun, idempotencyKey: string | undefined): Promise<CreatedRun> {
    const { run, events, prepared, reused } = newRun;
    const groupId = run.groupId;
    if (idempotencyKey) {
      await this.runs.expireIdempotencyKey(groupId, idempotencyKey, new Date(Date.now() - IDEMPOTENCY_WINDOW_MS));
    }
    if (!reused && mayWriteAtFinish(run, prepared.plan)) {
      return { run, prepared, pending: new PendingRun(run, events, this.runs) };
    }
    const limit = this.config.groupLimits.max_active_runs;
    // A new async run is handed off to this instance when it works the queue and has room (LocalRuns).
    const bytes = run.mode === 'async' && !reused ? heldBytes(run) : undefined;
    const handOff = bytes !== undefined && this.localRuns.accepts(prepared.plan, bytes);
    const jobDelayMs = run.mode === 'async' ? (handOff ? HANDOFF_MS : 0) : null;
    const insert = await this.runs.insertWithinLimit(run, events, jobDelayMs, limit, reused?.records);
    if (insert.inserted) {
      if (handOff) this.localRuns.add({ run, prepared }, bytes);
      return { run, prepared, completed: reused?.completed };
    }
    if (
      insert.active >= insert.limit &&
      !(idempotencyKey && (await this.queries.findByIdempotencyKey(groupId, idempotencyKey)))
    ) {
      throw new LimitExceededProblem(groupLimit('max_active_runs'), insert.limit, insert.active);
    }
    // Without a key only a schedule's tick conflicts: an earlier attempt at it started its run.
    if (!idempotencyKey) throw new ConflictProblem('This schedule tick has already started its run.');
    return { run: await this.existingRun(groupId, idempotencyKey, run.requestHash!) };
  }

  /** The run an earlier request with this Idempotency-Key created, if the request was the same. */
  private async existingRun(groupId: string, key: string, hash: string): Promise<Run> {
    const existing = await this.queries.findByIdempotencyKey(groupId, key);
    if (!existing) throw new ConflictProblem('A run with this Idempotency-Key was just replaced; retry.');
    if (existing.requestHash !== hash) {
      throw new ValidationProblem(
        [{ field: 'Idempotency-Key', message: `was used for a different request (run ${existing.id})` }],
        'This Idempotency-Key was already used with a different request body.',
      );
    }
    return existing;
  }

  /**
   * Stops the run and every run below it, wherever they execute (RunStops): at once if nobody
   * holds the run, otherwise by asking its holder and waiting for it to confirm.
   */
  async stop(groupId: string, runId: string, actor: AuditActor): Promise<SyncOutcome> {
    const { requested, stoppedHere } = await this.executor.stopTree(groupId, runId, (marked) => [
      {
        actor,
        groupId,
        action: 'run.stopped',
        targetType: 'run',
        targetId: runId,
        after: { descendants_stopped: marked.filter((id) => id !== runId) },
      },
    ]);
    if (stoppedHere) return { run: stoppedHere, finished: true };
    if (!requested) {
      const run = await this.get(groupId, runId);
      throw new ConflictProblem(`The run has already finished (${run.status}).`, { run_status: run.status });
    }
    const run = await this.watcher.waitForEnd(groupId, runId, () => this.runs.find(groupId, runId), STOP_WAIT_MS);
    if (!run) throw new NotFoundProblem('Run', runId);
    return { run, finished: isFinished(run) };
  }

  /** Deletes a finished run with its node runs, events and callback attempts; 409 while it is unfinished. */
  async delete(groupId: string, runId: string, actor: AuditActor): Promise<void> {
    if (await this.retention.deleteFinishedRun(groupId, runId, actor)) return;
    const run = await this.get(groupId, runId);
    if (isFinished(run)) throw new ConflictProblem('A callback attempt of this run is being recorded; retry.');
    throw new ConflictProblem(`The run has not finished (${run.status}); stop it first.`, { run_status: run.status });
  }

  async get(groupId: string, runId: string, workflowId?: string): Promise<Run> {
    const run = workflowId
      ? await this.queries.findInWorkflow(groupId, workflowId, runId)
      : await this.runs.find(groupId, runId);
    if (!run) throw new NotFoundProblem('Run', runId);
    return run;
  }

  async list(groupId: string, workflowId: string, query: RunListQuery): Promise<Page<Run>> {
    if (!(await this.definitions.draft(groupId, workflowId))) throw new NotFoundProblem('Workflow', workflowId);
    return toPage(
      query,
      await this.queries.page(groupId, workflowId, query.status, query.skip, query.page_size, query.parent_run_id),
      (r) => r,
    );
  }

  /** A waiting SignalNode shows its resume link, derived again from its execution's number (ResumeLinks). */
  async nodeRuns(groupId: string, runId: string): Promise<NodeRunResponse[]> {
    const run = await this.get(groupId, runId);
    const schemas = new Map(signalNodesOf(run.definition).map((node) => [node.id, node.schema]));
    return (await this.queries.nodeRuns(groupId, runId)).map((nodeRun) => {
      const waitsForSignal = nodeRun.status === 'waiting' && nodeRun.waitingFor !== null;
      const nodeAttempt = nodeAttemptsFromJson(nodeRun.attempts).length + 1;
      return toNodeRunResponse(nodeRun, {
        signalSchema: schemas.get(nodeRun.nodeId),
        resumeUrl: waitsForSignal ? this.resumeLinks.url(runId, nodeRun.nodeId, nodeAttempt) : undefined,
      });
    });
  }
}
