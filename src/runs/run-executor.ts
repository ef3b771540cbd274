import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { Run } from '../generated/prisma/client.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { NotificationsService } from '../database/notifications.service.js';
import { isTransientDatabaseError } from '../database/transient-errors.js';
import type { WorkflowDefinition } from '../execution/definition.js';
import {
  DagRunner,
  planRun,
  resolveRunInput,
  type CompletedNode,
  type NodeAttempt,
  type RunError,
  type RunOptions,
  type RunResult,
} from '../execution/engine/index.js';
import { codeSandbox } from '../execution/code-sandbox/code-sandbox.js';
import { nodeServicesFromConfig, type ChildRuns, type NodeServices } from '../execution/node-services.js';
import { builtInNodeTypes } from '../execution/nodes/index.js';
import { MetricsService } from '../observability/metrics.service.js';
import { RunTracing } from '../observability/run-tracing.js';
import { referencedSecrets } from '../execution/template.js';
import { SecretsService } from '../secrets/secrets.service.js';
import { INSTANCE_ID } from './instance-id.js';
import { runEvent, type RunEventRecord } from './run-records.js';
import { LeaseLost, RunRecorder } from './run-recorder.js';
import { tracedHooks } from './traced-hooks.js';
import { RunsRepository } from './runs.repository.js';
import { STOP_CHANNEL } from '../database/channels.js';

/** A run whose holder stops renewing for this long can be taken over by another instance. */
export const LEASE_MS = 10_000;
const LEASE_RENEW_MS = 2_000;
/** How often the holder checks its lease: the fence must fall well before the lease expires. */
const LEASE_CHECK_MS = 500;
/**
 * Fencing: a holder that has not renewed for this long aborts the run's nodes itself, before its
 * lease can expire and another instance take the run, so no node runs on two instances at once.
 */
export const FENCE_MS = LEASE_MS - 2_500;

/** Gives each walked run the means to start child runs (ChildRunsService). */
export interface ChildRunsFactory {
  forParent(parent: Run, executor: RunExecutor, lettingGo: () => boolean): ChildRuns;
}

/** Why a run ends early on this instance without a final state being written by it. */
type LetGo = 'handed-back' | 'lease-lost';

interface ActiveRun {
  controller: AbortController;
  letGo?: LetGo;
  done: Promise<unknown>;
  /** When the last successful renewal (or the claim) was sent: the lease runs at least LEASE_MS from then. */
  leaseFrom: number;
  renewalSentAt: number;
  renewing: boolean;
  recorder?: RunRecorder;
}

/**
 * Executes runs on this instance: walks a run's recorded definition with the engine, persisting
 * through a RunRecorder, holding the run's lease while it works (renewed every 2 s, fenced at
 * FENCE_MS) and writing the final state. A run resumed after its holder died skips the nodes that
 * already completed; a run is claimed at most MAX_RUN_ATTEMPTS times.
 */
@Injectable()
export class RunExecutor implements OnModuleInit {
  private readonly logger = new Logger(RunExecutor.name);
  private readonly active = new Map<string, ActiveRun>();
  private readonly nodeServices: NodeServices;
  private childRuns: ChildRunsFactory | undefined;

  constructor(
    private readonly runs: RunsRepository,
    private readonly notifications: NotificationsService,
    private readonly metrics: MetricsService,
    private readonly tracing: RunTracing,
    private readonly secrets: SecretsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.nodeServices = nodeServicesFromConfig(config);
    codeSandbox.configure({ maxWorkers: config.sandboxWorkers, perGroup: config.sandboxWorkersPerGroup });
  }

  async onModuleInit(): Promise<void> {
    // The first expression of the first run should not wait for a worker thread to start.
    codeSandbox.warm();
    await this.notifications.listen(STOP_CHANNEL, (runId) => this.active.get(runId)?.controller.abort());
  }

  useChildRuns(factory: ChildRunsFactory): void {
    this.childRuns = factory;
  }

  /**
   * Claims the run (unless someone holds a live lease) and executes it; null if not claimed. A run
   * that has used up its attempts is failed instead.
   */
  async claimAndExecute(runId: string): Promise<Run | null> {
    if (this.active.has(runId)) return null;
    const claimedFrom = Date.now();
    const run = await this.runs.claim(runId, INSTANCE_ID, LEASE_MS, this.config.maxRunAttempts);
    if (!run) return this.failIfExhausted(runId);
    if (run.attempt <= 1) return this.execute(run, new Map(), new Map(), claimedFrom);
    const completed = await this.runs.completedNodes(run.id);
    return this.execute(run, completed, await this.runs.unfinishedNodeAttempts(run.id), claimedFrom);
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
   * stored, or null when the run was handed back or taken over before it finished. `unwritten`:
   * the run is not in the database yet, these are its first events (RunRecorder.insertWithFirstFlush).
   */
  execute(
    run: Run,
    completed: ReadonlyMap<string, CompletedNode> = new Map(),
    priorAttempts: ReadonlyMap<string, NodeAttempt[]> = new Map(),
    leaseFrom = Date.now(),
    unwritten?: RunEventRecord[],
  ): Promise<Run | null> {
    const controller = new AbortController();
    const entry: ActiveRun = {
      controller,
      done: Promise.resolve(),
      leaseFrom,
      renewalSentAt: leaseFrom,
      renewing: false,
    };
    this.active.set(run.id, entry);
    const done = this.walk(run, { completed, priorAttempts }, entry, unwritten).finally(() =>
      this.active.delete(run.id),
    );
    entry.done = done.catch(() => undefined);
    return done;
  }

  /** Writes what the run executing here has buffered, the run row included if not yet inserted. */
  async checkpoint(runId: string): Promise<void> {
    await this.active.get(runId)?.recorder?.checkpoint();
  }

  /** Aborts the run if this instance executes it; the run ends `stopped`. */
  stop(runId: string): boolean {
    const entry = this.active.get(runId);
    entry?.controller.abort();
    return entry !== undefined;
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
      entry.controller.abort();
    }
    await all();
  }

  private async walk(
    run: Run,
    { completed, priorAttempts }: Pick<RunOptions, 'completed' | 'priorAttempts'>,
    entry: ActiveRun,
    unwritten: RunEventRecord[] | undefined,
  ): Promise<Run | null> {
    const planned = planRun(run.definition as unknown as WorkflowDefinition, builtInNodeTypes, {
      nodeIds: run.nodeIds as string[] | null,
      singleNodeId: run.singleNodeId,
    });
    const resolved = planned.ok ? resolveRunInput(planned.plan, run.input) : undefined;
    if (!planned.ok || !resolved?.ok) {
      // Checked when the run was created; reaching here means the stored run is corrupt.
      throw new Error(`run ${run.id} cannot be planned again from its stored definition and input`);
    }
    const recorder = new RunRecorder(this.runs, run.id, INSTANCE_ID, run.attempt, planned.plan, (type, status, ms) =>
      this.metrics.nodeFinished(type, status, ms),
    );
    if (unwritten) recorder.insertWithFirstFlush(run, unwritten);
    entry.recorder = recorder;
    // Resolved per attempt, so a value set after the run was created but before it started is used.
    const secrets = await this.secrets.resolve(run.groupId, referencedSecrets(JSON.stringify(run.definition)));
    const runTrace = this.tracing.start(run);
    const renewal = setInterval(() => void this.renewLease(run.id, entry), LEASE_CHECK_MS);
    let ending: { status: string; error: RunError | null } = { status: 'error', error: null };
    const services: NodeServices = {
      ...this.nodeServices,
      childRuns: this.childRuns?.forParent(run, this, () => entry.letGo !== undefined),
    };
    try {
      const hooks = runTrace ? tracedHooks(recorder, runTrace) : recorder;
      const result = await new DagRunner(planned.plan, resolved.input, hooks, {
        runId: run.id,
        groupId: run.groupId,
        signal: entry.controller.signal,
        useOutputIds: run.useOutputIds,
        completed,
        secrets,
        priorAttempts,
        services: runTrace
          ? { ...services, traceOutbound: (nodeId, name, attrs) => runTrace.clientSpan(nodeId, name, attrs) }
          : services,
      }).run();
      ending = { status: entry.letGo ?? result.status, error: result.error };
      if (entry.letGo === 'lease-lost') return null;
      if (entry.letGo === 'handed-back') {
        await recorder.checkpoint();
        await this.runs.releaseLease(run.id, INSTANCE_ID);
        await this.runs.enqueue(run.id);
        return null;
      }
      const final = finalState(result);
      await recorder.finish(final, runEvent(`run.${result.status}`, { status: result.status, error: result.error }));
      const startedAt = run.startedAt ?? run.createdAt;
      this.metrics.runFinished(result.status, run.mode, final.finishedAt.getTime() - startedAt.getTime());
      return { ...run, ...final, output: final.output as Run['output'], error: final.error as Run['error'] };
    } catch (error) {
      // Our writes were refused because another instance took the run over, or we fenced
      // ourselves off: the next holder finishes it.
      if (error instanceof LeaseLost || entry.letGo === 'lease-lost') return null;
      entry.controller.abort(); // nodes still running in parallel stop before the run is given up
      const cause = `attempt ${run.attempt} on instance ${INSTANCE_ID} failed: ${(error as Error).message}`;
      await this.runs.recordFailure(run.id, INSTANCE_ID, cause, isTransientDatabaseError(error)).catch(() => undefined);
      throw error;
    } finally {
      clearInterval(renewal);
      if (runTrace) {
        runTrace.end(ending.status, ending.error);
        void this.tracing.flush();
      }
    }
  }

  private async renewLease(runId: string, entry: ActiveRun): Promise<void> {
    if (entry.letGo) return;
    if (Date.now() - entry.leaseFrom >= FENCE_MS) {
      this.logger.warn({ runId }, 'lease could not be renewed in time; aborting the run here');
      entry.letGo = 'lease-lost';
      entry.controller.abort();
      return;
    }
    if (entry.renewing || Date.now() - entry.renewalSentAt < LEASE_RENEW_MS) return;
    entry.renewing = true;
    const sentAt = Date.now();
    entry.renewalSentAt = sentAt;
    try {
      const stopRequested = await this.runs.renewLease(runId, INSTANCE_ID, LEASE_MS);
      if (stopRequested !== undefined) entry.leaseFrom = sentAt;
      if (stopRequested === undefined) {
        // Another instance took the run over (we were too slow to renew): stop writing to it.
        entry.letGo = 'lease-lost';
        entry.controller.abort();
      } else if (stopRequested) {
        entry.controller.abort(); // a stop whose notification we missed
      }
    } catch (error) {
      this.logger.warn({ err: error, runId }, 'lease renewal failed');
    } finally {
      entry.renewing = false;
    }
  }
}

/** A failed or stopped run has no output: its status is the answer, partial results are in its node runs. */
function finalState(result: RunResult) {
  return {
    status: result.status,
    output: result.status === 'completed' ? result.output : null,
    error: result.error,
    progress: result.status === 'completed' ? 100 : result.progress,
    finishedAt: new Date(),
    leaseOwner: null,
    leaseExpiresAt: null,
  };
}
