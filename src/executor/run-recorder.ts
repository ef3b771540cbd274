import type { NodeAttempt, RunError, RunHooks, RunPlan } from '../execution/engine/index.js';
import type { WaitRequest } from '../execution/node-type.js';
import type { RunRowChanges, RunsRepository } from './runs.repository.js';
import { isoNow } from '../common/iso-now.js';
import { capForEvent, NodeRunRecord, runEvent, RunEventRecord } from './run-records.js';

/** This instance no longer holds the run's lease: another one took it over. */
export class LeaseLost extends Error {
  constructor(runId: string) {
    super(`lease on run ${runId} was lost to another instance`);
    this.name = 'LeaseLost';
  }
}

/** A node run's wait columns: set while it waits, kept (to show what it waited for) until it ends. */
export type WaitColumns = Pick<NodeRunRecord, 'waiting_until' | 'waiting_for' | 'resume_token_hash'>;

const NOT_WAITING: WaitColumns = { waiting_until: null, waiting_for: null, resume_token_hash: null };

/**
 * A run this instance does not hold in the database yet (a PendingRun not inserted, an UnclaimedRun
 * not claimed): its first write makes it so.
 */
export interface FirstWrite {
  /** Writes the run with what the recorder flushes; false when the recorder must flush them itself. */
  writeWith(nodes: NodeRunRecord[], events: RunEventRecord[], changes: RunRowChanges): Promise<boolean>;
  /** Makes the run the recorder's to write (e.g. before it parks), unless it is already. */
  ensureWritten(): Promise<void>;
}

export interface RecorderOptions {
  /** A run this instance does not hold in the database yet: the first flush writes it. */
  pending?: FirstWrite;
  /** The wait columns of nodes an earlier attempt parked in, which this attempt executes again. */
  parked?: ReadonlyMap<string, WaitColumns>;
  /** The SHA-256 of a waiting SignalNode's resume-link token for its `nodeAttempt`-th execution (ResumeLinks). */
  resumeTokenHash?: (nodeId: string, nodeAttempt: number) => string;
}

/** Buffered writes reach the database at most this long after they happen. */
export const FLUSH_DELAY_MS = 100;
/** A node that took at least this long is persisted before anything downstream starts. */
export const DURABLE_AFTER_MS = 20;

/**
 * Persists one run's node runs and events through the engine's hooks. Writes are buffered and
 * flushed together (one statement per flush), because a fast workflow would otherwise spend its
 * time on round trips. A completed node is flushed before the run moves on when it took long or
 * has external effects, so a resumed run never repeats such a node; cheap, pure nodes may be
 * re-run after a crash inside the flush window, which is harmless.
 */
export class RunRecorder implements RunHooks {
  private readonly dirty = new Map<string, NodeRunRecord>();
  private readonly records = new Map<string, NodeRunRecord>();
  private events: RunEventRecord[] = [];
  private progress = 0;
  private timer: NodeJS.Timeout | undefined;
  private tail: Promise<void> = Promise.resolve();
  private failure: unknown;
  private readonly pending: FirstWrite | undefined;
  private readonly waits: Map<string, WaitColumns>;

  constructor(
    private readonly repository: Pick<RunsRepository, 'flush' | 'park'>,
    private readonly runId: string,
    private readonly owner: string,
    private readonly attempt: number,
    private readonly plan: RunPlan,
    private readonly options: RecorderOptions = {},
  ) {
    this.pending = options.pending;
    this.waits = new Map(options.parked);
  }

  onNodeStarted(
    nodeId: string,
    type: string,
    inputs: Record<string, unknown>,
    priorAttempts: NodeAttempt[] = [],
  ): void {
    this.put({
      attempts: priorAttempts,
      node_id: nodeId,
      node_type: type,
      status: 'running',
      inputs,
      outputs: null,
      error: null,
      attempt: this.attempt,
      started_at: isoNow(),
      finished_at: null,
      duration_ms: null,
      ...(this.waits.get(nodeId) ?? NOT_WAITING),
    });
    this.emit(runEvent('node.started', { node_id: nodeId, node_type: type, inputs: capForEvent(inputs) }));
  }

  /** Waited for only when the node must be stored before the run moves on (a long or outward-acting one). */
  onNodeCompleted(
    nodeId: string,
    outputs: Record<string, unknown>,
    durationMs: number,
    attempts?: NodeAttempt[],
  ): Promise<void> | void {
    const record = this.finishNode(nodeId, 'completed', durationMs, { outputs, ...(attempts && { attempts }) });
    this.emit(
      runEvent('node.completed', {
        node_id: nodeId,
        node_type: record.node_type,
        outputs: capForEvent(outputs),
        duration_ms: durationMs,
      }),
    );
    if (durationMs >= DURABLE_AFTER_MS || this.plan.nodes.get(nodeId)?.nodeType.hasExternalEffects)
      return this.flushNow();
  }

  onNodeFailed(nodeId: string, error: RunError, durationMs: number, attempts?: NodeAttempt[]): void {
    const record = this.finishNode(nodeId, 'failed', durationMs, { error, ...(attempts && { attempts }) });
    this.emit(
      runEvent('node.failed', {
        node_id: nodeId,
        node_type: record.node_type,
        error,
        duration_ms: durationMs,
        attempts: record.attempts.length,
      }),
    );
  }

  /**
   * The node parked the run: stored with the run's park (see `park`), its resume link's hash with it.
   * The link is the node execution's (`attempts` + 1), so a wait parked again after the run woke for
   * another node keeps its link; the event carries that number, from which the API derives the link
   * again (ResumeLinks).
   */
  onNodeWaiting(nodeId: string, wait: WaitRequest, attempts: NodeAttempt[]): void {
    const started = this.records.get(nodeId);
    if (!started) throw new Error(`node "${nodeId}" waits without having started`);
    const nodeAttempt = attempts.length + 1;
    const columns: WaitColumns = {
      waiting_until: wait.until?.toISOString() ?? null,
      waiting_for: wait.signal ?? null,
      resume_token_hash:
        wait.signal && this.options.resumeTokenHash ? this.options.resumeTokenHash(nodeId, nodeAttempt) : null,
    };
    this.waits.set(nodeId, columns);
    this.put({ ...started, ...columns, status: 'waiting', attempts: [...attempts] });
    this.emit(
      runEvent('node.waiting', {
        node_id: nodeId,
        node_type: started.node_type,
        waiting_until: columns.waiting_until,
        signal: columns.waiting_for,
        attempt: nodeAttempt,
      }),
    );
  }

  /**
   * Stored before the wait begins, so a run resumed after a crash goes on counting attempts. The
   * failed attempt's wait is over: a new one starts its own.
   */
  async onNodeRetrying(nodeId: string, failed: NodeAttempt, delayMs: number, attempts: NodeAttempt[]): Promise<void> {
    const started = this.records.get(nodeId);
    this.waits.delete(nodeId);
    if (started) this.put({ ...started, ...NOT_WAITING, attempts: [...attempts] });
    this.emit(
      runEvent('node.retrying', {
        node_id: nodeId,
        attempt: failed.attempt,
        next_attempt: failed.attempt + 1,
        error: failed.error,
        delay_ms: delayMs,
      }),
    );
    await this.flushNow();
  }

  onNodeStopped(nodeId: string, durationMs: number): void {
    this.finishNode(nodeId, 'stopped', durationMs, {});
  }

  onNodeSkipped(nodeId: string, reason: string): void {
    this.put({
      node_id: nodeId,
      node_type: this.plan.nodes.get(nodeId)?.type ?? '',
      status: 'skipped',
      inputs: null,
      outputs: null,
      error: null,
      attempt: this.attempt,
      started_at: null,
      finished_at: isoNow(),
      duration_ms: null,
      attempts: [],
      ...NOT_WAITING,
    });
    this.emit(runEvent('node.skipped', { node_id: nodeId, reason }));
  }

  onDelta(nodeId: string, delta: Record<string, unknown>): void {
    this.emit(runEvent('node.delta', { node_id: nodeId, ...delta }));
  }

  onProgress(percent: number): void {
    this.progress = percent;
  }

  /** Writes everything still buffered now (e.g. before handing the run back). */
  checkpoint(): Promise<void> {
    return this.flushNow();
  }

  /**
   * Parks the run: writes everything still buffered with the run's `waiting` state, gives up its
   * lease, and queues its wake-up at `wakeAt` (PARK_RUN). True when a stop was requested meanwhile.
   */
  async park(wakeAt: Date | null, parkEvent: RunEventRecord): Promise<boolean> {
    await this.pending?.ensureWritten();
    this.events.push(parkEvent);
    let stopRequested = false;
    await this.write(async (nodes, events) => {
      const parked = await this.repository.park(this.runId, this.owner, nodes, events, this.progress, wakeAt);
      stopRequested = parked.stopRequested;
      return parked.held;
    });
    return stopRequested;
  }

  /** Writes everything still buffered together with the run's final state. */
  async finish(
    changes: Omit<RunRowChanges, 'progress'> & { progress?: number },
    finalEvent: RunEventRecord,
  ): Promise<void> {
    this.events.push(finalEvent);
    await this.flushNow({ ...changes, progress: changes.progress ?? this.progress });
  }

  private finishNode(
    nodeId: string,
    status: NodeRunRecord['status'],
    durationMs: number,
    values: Partial<NodeRunRecord>,
  ): NodeRunRecord {
    const started = this.records.get(nodeId);
    const record: NodeRunRecord = {
      node_id: nodeId,
      node_type: this.plan.nodes.get(nodeId)?.type ?? '',
      inputs: started?.inputs ?? null,
      outputs: null,
      error: null,
      attempt: this.attempt,
      started_at: started?.started_at ?? null,
      attempts: started?.attempts ?? [],
      ...(this.waits.get(nodeId) ?? NOT_WAITING),
      ...values,
      status,
      finished_at: isoNow(),
      duration_ms: Math.round(durationMs),
    };
    this.put(record);
    return record;
  }

  private put(record: NodeRunRecord): void {
    this.records.set(record.node_id, record);
    this.dirty.set(record.node_id, record);
    this.schedule();
  }

  private emit(event: RunEventRecord): void {
    this.events.push(event);
    this.schedule();
  }

  private schedule(): void {
    this.throwIfFailed();
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flushNow().catch(() => undefined);
    }, FLUSH_DELAY_MS);
  }

  private flushNow(changes?: RunRowChanges): Promise<void> {
    const rowChanges = changes ?? { progress: this.progress };
    return this.write(
      async (nodes, events) =>
        (await this.pending?.writeWith(nodes, events, rowChanges)) ||
        this.repository.flush(this.runId, this.owner, nodes, events, rowChanges),
    );
  }

  /** Writes are serialised so they land in the order they happened; `statement` answers whether the lease held. */
  private write(statement: (nodes: NodeRunRecord[], events: RunEventRecord[]) => Promise<boolean>): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.tail = this.tail.then(async () => {
      this.throwIfFailed();
      const nodes = [...this.dirty.values()];
      const events = this.events;
      this.dirty.clear();
      this.events = [];
      try {
        if (!(await statement(nodes, events))) throw new LeaseLost(this.runId);
      } catch (error) {
        this.failure ??= error;
        throw error;
      }
    });
    return this.tail;
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}
