import type { AuditEntry } from '../common/audit-events.js';
import type { MarkedRun } from './run-trees.repository.js';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Run } from '../generated/prisma/client.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DatabaseAvailability } from '../database/database-availability.js';
import { NotificationsService } from '../database/notifications.service.js';
import { isDatabaseError, isTransientDatabaseError } from '../database/transient-errors.js';
import { definitionFromJson } from '../execution/definition.js';
import {
  combineHooks,
  DagRunner,
  nodeIdsFromJson,
  RunAbort,
  prepareRun,
  type PreparedRun,
  type RunOptions,
  type RunPlan,
  type StoredRunError,
} from '../execution/engine/index.js';
import { nodeServicesFromConfig, type NodeServices } from '../execution/node-services.js';
import { builtInNodeTypes } from '../execution/nodes/index.js';
import { MetricsService } from '../observability/metrics.service.js';
import { RunTracing } from '../observability/run-tracing.js';
import { secretsReferencedBy } from '../execution/template.js';
import type { SecretValues } from '../execution/secret-values.js';
import { SecretsService } from '../secrets/secrets.service.js';
import { INSTANCE_ID } from '../database/instance-id.js';
import { finalState, internalErrorState, type FinalState, type InternalError } from './final-state.js';
import { runEvent } from './run-records.js';
import { LeaseLost, RunRecorder, type FirstWrite } from './run-recorder.js';
import { LEASE_MS, RunLease } from './run-lease.js';
import { metricsHooks, tracingHooks } from './run-hooks.js';
import { hasOnlyPureNodes } from './pending-run.js';
import { UnclaimedRun } from './unclaimed-run.js';
import type { HandedOffRun } from './local-runs.js';
import { RunsRepository, type ParkedNode } from './runs.repository.js';
import { ResumeLinks } from '../waits/resume-links.js';
import { RunParking } from './run-parking.js';
import { STOP_CHANNEL } from '../database/channels.js';
import { CHILD_RUN_NODE_TYPES } from '../execution/nodes/child-workflow.js';
import { ChildRunsService } from './child-runs.js';
import type { HeldSlot } from './group-slots.js';
import { RunStops, type TreeStop } from './run-stops.js';

/** Why a run ends early on this instance without a final state being written by it. */
type LetGo = 'handed-back' | 'lease-lost';

interface ActiveRun {
  parentRunId: string | null;
  /** Stops the walk (its AbortSignal is made only if a node asks for one). */
  abort: RunAbort;
  letGo?: LetGo;
  done: Promise<unknown>;
  lease: RunLease;
}

export interface ExecuteOptions extends Pick<RunOptions, 'completed' | 'priorAttempts'> {
  /** The plan the run was created with on this instance; a claimed run is planned from its stored definition. */
  prepared?: PreparedRun;
  /** When the lease was taken (the claim or the insert was sent). */
  leaseFrom?: number;
  /** This instance does not hold the run in the database yet: the recorder's first flush makes it so. */
  pending?: FirstWrite;
  /** The group slot the run executes in (GroupSlots); it passes to the run's children when it starts them. */
  slot?: HeldSlot;
  /** Nodes an earlier attempt parked in (a resumed waiting run): they execute again with their wait. */
  parked?: ParkedNode[];
  /** Called once the run's nodes are done, before its final write: a run that starts no child runs needs no slot for that. */
  walked?: () => void;
}

/**
 * Executes runs on this instance: walks a run's DAG with the engine (DagRunner), persisting through
 * a RunRecorder, holding the run's RunLease while it works, and writes the final state. A run
 * resumed after its holder died skips the nodes that already completed; a run is claimed at most
 * MAX_RUN_ATTEMPTS times.
 */
@Injectable()
export class ExecutionService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ExecutionService.name);
  private readonly active = new Map<string, ActiveRun>();
  private readonly nodeServices: NodeServices;

  constructor(
    private readonly runs: RunsRepository,
    private readonly notifications: NotificationsService,
    private readonly metrics: MetricsService,
    private readonly tracing: RunTracing,
    private readonly secrets: SecretsService,
    private readonly stops: RunStops,
    private readonly childRuns: ChildRunsService,
    private readonly availability: DatabaseAvailability,
    private readonly resumeLinks: ResumeLinks,
    private readonly parking: RunParking,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.nodeServices = nodeServicesFromConfig(config);
  }

  async onModuleInit(): Promise<void> {
    // The first expression of the first run should not wait for a worker thread to start.
    this.nodeServices.sandbox?.warm();
    await this.notifications.listen(STOP_CHANNEL, (runId) => this.stop(runId));
  }

  /** After the runs drained (RunsShutdown): the sandbox's spare workers would outlive the app. */
  async onApplicationShutdown(): Promise<void> {
    await this.nodeServices.sandbox?.close();
  }

  /**
   * Claims the run (unless someone holds a live lease) and executes it; null if not claimed. A run
   * that has used up its attempts is failed instead.
   */
  async claimAndExecute(runId: string, slot?: HeldSlot, prepared?: PreparedRun): Promise<Run | null> {
    if (this.active.has(runId)) return null;
    const claimedFrom = Date.now();
    const run = await this.runs.claim(runId, INSTANCE_ID, LEASE_MS, this.config.maxRunAttempts);
    if (!run) return this.failIfExhausted(runId);
    // A retry's first attempt has node runs too: those it took over from the run it retries.
    if (run.attempt <= 1 && run.retryOf === null) return this.execute(run, { prepared, leaseFrom: claimedFrom, slot });
    const completed = await this.runs.completedNodes(run.id);
    const priorAttempts = await this.runs.unfinishedNodeAttempts(run.id);
    const parked = await this.runs.parkedNodes(run.id);
    return this.execute(run, { completed, priorAttempts, parked, leaseFrom: claimedFrom, slot });
  }

  /**
   * Executes a run handed off to this instance (LocalRuns). A run of pure nodes executes before it is
   * claimed (UnclaimedRun): one that finishes within the recorder's first flush is written once,
   * finished. Any other is claimed first, as a queued run is, planned as it was created.
   */
  executeHandedOff({ run, prepared }: HandedOffRun, slot: HeldSlot, walked: () => void): Promise<Run | null> {
    if (this.active.has(run.id)) return Promise.resolve(null);
    if (run.debugger !== null || !hasOnlyPureNodes(prepared.plan)) return this.claimAndExecute(run.id, slot, prepared);
    const startedAt = new Date();
    const running: Run = { ...run, status: 'running', attempt: 1, startedAt, leaseOwner: INSTANCE_ID };
    return this.execute(running, {
      prepared,
      pending: new UnclaimedRun(run, startedAt, this.runs, this.config.maxRunAttempts),
      leaseFrom: startedAt.getTime(),
      slot,
      walked,
    });
  }

  private async failIfExhausted(runId: string): Promise<Run | null> {
    const failed = await this.runs.exhaust(runId, this.config.maxRunAttempts);
    if (failed) {
      this.logger.warn({ runId, attempts: failed.attempt }, 'run failed: attempts exhausted');
      this.metrics.runFinished('failed', failed.mode, null);
    }
    return failed;
  }

  /**
   * Executes a run this instance already holds the lease on. Resolves with the run as finally
   * stored, or null when the run was handed back or taken over before it finished.
   */
  execute(run: Run, options: ExecuteOptions = {}): Promise<Run | null> {
    const abort = new RunAbort();
    const entry: ActiveRun = {
      parentRunId: run.parentRunId,
      abort,
      done: Promise.resolve(),
      lease: new RunLease(
        this.runs,
        run.id,
        options.leaseFrom ?? Date.now(),
        {
          lost: () => {
            entry.letGo = 'lease-lost';
            abort.abort();
          },
          stopRequested: () => abort.abort(),
        },
        this.logger,
        this.availability,
      ),
    };
    this.active.set(run.id, entry);
    const done = this.walk(run, options, entry)
      .finally(() => this.active.delete(run.id))
      .then(async (walked) => {
        if (walked?.status === 'waiting') await this.parking.wakeIfDue(walked);
        return walked;
      });
    entry.done = done.catch(() => undefined);
    return done;
  }

  /**
   * Ends the run `failed` with an `internal_error` naming the error. It goes through the recorder,
   * so it fails in turn when the error was the recorder's own write (the attempt is then given up).
   */
  private async failOnError(
    run: Run,
    recorder: RunRecorder,
    error: unknown,
    secrets: SecretValues,
  ): Promise<{ run: Run; error: InternalError }> {
    const final = internalErrorState(error, secrets);
    const failed = await this.finish(run, recorder, final);
    this.logger.error({ runId: run.id, error: final.error.message }, 'run failed on an internal error');
    return { run: failed, error: final.error };
  }

  /** Writes the run's final state with its final event, counts it, and returns the run as stored. */
  private async finish(run: Run, recorder: RunRecorder, final: FinalState): Promise<Run> {
    const event = { status: final.status, error: final.error, metadata: run.metadata };
    await recorder.finish(final, runEvent(`run.${final.status}`, event));
    const startedAt = run.startedAt ?? run.createdAt;
    this.metrics.runFinished(final.status, run.mode, final.finishedAt.getTime() - startedAt.getTime());
    return { ...run, ...final, output: final.output as Run['output'], error: final.error as Run['error'] };
  }

  /**
   * Aborts the run and every run below it that this instance executes (they end `stopped`); true
   * when the run itself executes here.
   */
  stop(runId: string): boolean {
    for (const [id, entry] of this.active) {
      if (this.descendsFrom(id, runId)) entry.abort.abort();
    }
    return this.active.has(runId);
  }

  /**
   * Stops the run of the group and every run below it wherever they execute: marked in the database
   * and announced to every instance (RunStops), and aborted here at once if it executes here.
   */
  async stopTree(groupId: string, runId: string, audit?: (marked: string[]) => AuditEntry[]): Promise<TreeStop> {
    const stop = await this.stops.stopTree(groupId, runId, audit);
    if (stop.requested) this.stop(runId);
    return stop;
  }

  /**
   * `stopTree` for many runs at once, without waiting for their holders to confirm: the runs among
   * `runIds` that were live and not yet asked to stop, which it returns.
   */
  async stopTrees(groupId: string, runIds: string[], audit?: (marked: MarkedRun[]) => AuditEntry[]): Promise<string[]> {
    const asked = await this.stops.stopTrees(groupId, runIds, audit);
    for (const runId of asked) this.stop(runId);
    return asked;
  }

  /** Whether `id` is `ancestorId` or below it, as far as the chain of runs executing here tells. */
  private descendsFrom(id: string, ancestorId: string): boolean {
    for (let current: string | null | undefined = id; current; current = this.active.get(current)?.parentRunId) {
      if (current === ancestorId) return true;
    }
    return false;
  }

  /**
   * Graceful shutdown: lets runs finish for up to `graceMs`, then hands the rest back (their
   * completed nodes are kept; another instance resumes them).
   */
  async drain(graceMs: number): Promise<void> {
    const all = () => Promise.all([...this.active.values()].map((entry) => entry.done));
    await Promise.race([all(), new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    for (const entry of this.active.values()) {
      entry.letGo = 'handed-back';
      entry.lease.end();
      entry.abort.abort();
    }
    await all();
  }

  /** A run that failed or stopped leaves nothing running below it, wherever that executes. */
  private stopChildrenLeft(run: Run): void {
    this.stopTree(run.groupId, run.id).catch((error: unknown) => {
      if (!this.availability.failed('stopping child runs', error)) {
        this.logger.warn({ err: error, runId: run.id }, 'stopping child runs left failed');
      }
    });
  }

  private async walk(run: Run, options: ExecuteOptions, entry: ActiveRun): Promise<Run | null> {
    const { plan, input } = options.prepared ?? prepareStored(run);
    const recorder = new RunRecorder(this.runs, run.id, INSTANCE_ID, run.attempt, plan, {
      pending: options.pending,
      parked: new Map(options.parked?.map((node) => [node.nodeId, node.columns])),
      resumeTokenHash: (nodeId, nodeAttempt) => this.resumeLinks.tokenHash(run.id, nodeId, nodeAttempt),
    });
    // Resolved per attempt, so a value set after the run was created but before it started is used.
    const secrets = await this.secrets.resolve(run.groupId, secretsReferencedBy(run.definition));
    const runTrace = this.tracing.start(run);
    entry.lease.start();
    let ending: { status: string; error: StoredRunError | null } = { status: 'error', error: null };
    const childRuns = startsChildRuns(plan)
      ? this.childRuns.forParent(run, this, {
          lettingGo: () => entry.letGo !== undefined,
          slot: options.slot,
          traceparentOf: runTrace && ((nodeId) => runTrace.traceparentOf(nodeId)),
        })
      : undefined;
    const services: NodeServices = { ...this.nodeServices, childRuns };
    try {
      const hooks = combineHooks(
        ...(runTrace ? [tracingHooks(runTrace)] : []),
        recorder,
        metricsHooks(plan, this.metrics),
      );
      const result = await new DagRunner(plan, input, hooks, {
        runId: run.id,
        callPath: run.callPath ?? run.id,
        groupId: run.groupId,
        signal: entry.abort,
        useOutputIds: run.useOutputIds,
        completed: options.completed,
        secrets,
        priorAttempts: options.priorAttempts,
        waits: new Map(options.parked?.map((node) => [node.nodeId, node.wait])),
        services: runTrace
          ? { ...services, traceOutbound: (nodeId, name, attrs) => runTrace.clientSpan(nodeId, name, attrs) }
          : services,
      }).run();
      options.walked?.();
      ending = { status: entry.letGo ?? result.status, error: result.error };
      if (entry.letGo === 'lease-lost') return null;
      if (entry.letGo === 'handed-back') {
        await recorder.checkpoint();
        await this.runs.releaseLease(run.id, INSTANCE_ID);
        await this.runs.enqueue(run.id, run.groupId);
        return null;
      }
      if (result.status === 'waiting') return await this.parking.park(run, recorder, result);
      const finished = await this.finish(run, recorder, finalState(result));
      if (result.status !== 'completed' && childRuns) this.stopChildrenLeft(run);
      return finished;
    } catch (error) {
      // Our writes were refused because another instance took the run over, or we fenced
      // ourselves off: the next holder finishes it.
      if (error instanceof LeaseLost || entry.letGo === 'lease-lost') return null;
      entry.abort.abort(); // nodes still running in parallel stop before the run is given up
      const databaseAtFault = isTransientDatabaseError(error);
      if (!isDatabaseError(error)) {
        // An error of ours: another attempt would meet it again (and repeat the run's calls).
        const failed = await this.failOnError(run, recorder, error, secrets).catch(() => null);
        if (failed) {
          ending = { status: 'failed', error: failed.error };
          return failed.run;
        }
      }
      const cause = `attempt ${run.attempt} on instance ${INSTANCE_ID} failed: ${(error as Error).message}`;
      await this.runs.recordFailure(run.id, INSTANCE_ID, cause, databaseAtFault).catch(() => undefined);
      throw error;
    } finally {
      childRuns?.close();
      entry.lease.end();
      if (runTrace) {
        runTrace.end(ending.status, ending.error);
        void this.tracing.flush();
      }
    }
  }
}

/** Whether the run has nodes that start child runs. */
function startsChildRuns(plan: RunPlan): boolean {
  return [...plan.nodes.values()].some((node) => CHILD_RUN_NODE_TYPES.has(node.type));
}

/** A claimed run's plan, from the definition and input stored with it (both were checked when it was created). */
function prepareStored(run: Run): PreparedRun {
  const prepared = prepareRun(definitionFromJson(run.definition), run.input, builtInNodeTypes, {
    nodeIds: nodeIdsFromJson(run.nodeIds),
    singleNodeId: run.singleNodeId,
  });
  if (!prepared.ok) throw new Error(`run ${run.id} cannot be planned again from its stored definition and input`);
  return prepared.prepared;
}
