import { userCodeLimits, type NodeServices } from '../node-services.js';
import { Park, type EndedWait, type WaitRequest } from '../node-type.js';
import { SecretRedactor, shorten } from '../secret-redactor.js';
import type { SecretValues } from '../secret-values.js';
import { runWithPolicy, type NodeAttempt, type Outcome, type PolicyResult, type SignalSource } from './node-policy.js';
import { RunAbort } from './run-abort.js';
import { NodeCall } from './node-call.js';
import { assembleOutput } from './run-output.js';
import type { ResolvedRunInput } from './run-input.js';
import type { PlannedNode, RunPlan } from './run-plan.js';
import {
  MAX_ERROR_MESSAGE_LENGTH,
  toRunError,
  type CompletedNode,
  type NodeResult,
  type RunError,
  type RunResult,
} from './run-result.js';
import { ValueSizes } from './value-size.js';

type Awaitable = Promise<void> | void;

/**
 * Where the caller persists NodeRuns and publishes events. Hooks run one at a time, in the order
 * things happened, and the walker waits for each: a node's `started` is stored before it
 * executes, and its `completed` before any node it feeds starts, so what is persisted is always a
 * consistent prefix of the run to resume from. A hook that throws makes `run()` reject.
 */
export interface RunHooks {
  /** `priorAttempts`: executions of the node an earlier run attempt recorded (resuming mid-retry). */
  onNodeStarted?(
    nodeId: string,
    type: string,
    inputs: Record<string, unknown>,
    priorAttempts?: NodeAttempt[],
  ): Awaitable;
  /** `attempts` lists every execution of the node, earlier run attempts' included. */
  onNodeCompleted?(
    nodeId: string,
    outputs: Record<string, unknown>,
    durationMs: number,
    attempts?: NodeAttempt[],
  ): Awaitable;
  onNodeFailed?(nodeId: string, error: RunError, durationMs: number, attempts?: NodeAttempt[]): Awaitable;
  /** An attempt failed and the node's retry policy runs it again after `delayMs`. */
  onNodeRetrying?(nodeId: string, failed: NodeAttempt, delayMs: number, attempts: NodeAttempt[]): Awaitable;
  /**
   * The node parked the run (a durable wait). Stored before the walk ends: the run parks once no
   * other node is left to execute. `attempts` are the node's executions so far.
   */
  onNodeWaiting?(nodeId: string, wait: WaitRequest, attempts: NodeAttempt[]): Awaitable;
  /** The node was running (or waiting) when the run failed elsewhere or was stopped. */
  onNodeStopped?(nodeId: string, durationMs: number): Awaitable;
  onNodeSkipped?(nodeId: string, reason: string): Awaitable;
  onDelta?(nodeId: string, delta: Record<string, unknown>): Awaitable;
  /** 0–100, called whenever the whole-number figure changes. */
  onProgress?(percent: number): Awaitable;
}

export interface RunOptions {
  runId: string;
  /**
   * The logical call this run makes (see nodeIdempotencyKey): the same for every attempt of the run
   * and for a retry of it, so each node's `ctx.idempotencyKey` is too. Defaults to `runId`.
   */
  callPath?: string;
  /** The run's group, handed to nodes (user code is scheduled fairly between groups). */
  groupId?: string;
  /** Most nodes executing at once in this run. */
  maxParallel?: number;
  /**
   * Aborting it stops the run: in-flight nodes are aborted, the run ends `stopped`. A RunAbort
   * (the executor's) makes no AbortSignal unless one is asked for.
   */
  signal?: AbortSignal | RunAbort;
  /** Nodes completed by an earlier attempt: not executed again, their outputs feed downstream. */
  completed?: ReadonlyMap<string, CompletedNode>;
  /** Nodes an earlier attempt parked in: they execute again with `ctx.resumedFrom` set to these. */
  waits?: ReadonlyMap<string, EndedWait>;
  /** Attempts of unfinished nodes recorded by an earlier attempt: retries continue from them. */
  priorAttempts?: ReadonlyMap<string, NodeAttempt[]>;
  useOutputIds?: boolean;
  /** Handed to every node as `ctx.services`; its `limits.maxValueBytes` bounds every value. */
  services?: NodeServices;
  /**
   * Handed to every node as `ctx.secrets`. Whatever leaves a node (outputs, errors, deltas, span
   * attributes) has these values replaced with `[secret:NAME]`, so they reach no hook, no
   * downstream node and no run output.
   */
  secrets?: SecretValues;
}

export const DEFAULT_MAX_PARALLEL = 8;

/**
 * Walks a planned workflow: a node starts once every connected input is settled, independent
 * nodes run in parallel up to `maxParallel`, the first failure aborts the rest. One instance
 * walks one run once.
 */
export class DagRunner {
  private readonly states = new Map<string, NodeResult>();
  private readonly unsettledInputs = new Map<string, number>();
  private readonly ready: string[] = [];
  /** The waits of parked nodes not yet executed again in this walk (the first execution takes its wait). */
  private readonly resuming: Map<string, EndedWait>;
  private readonly waiting = new Map<string, WaitRequest>();
  private readonly abort = new RunAbort();
  /** Settles with `stopped` on abort; raced against every asynchronous execution so no node can hold up the run. */
  private abortedOutcome: Promise<Outcome> | undefined;
  private readonly maxParallel: number;
  private readonly redactor: SecretRedactor | null;
  private readonly services: NodeServices | undefined;
  private readonly sizes: ValueSizes;
  private running = 0;
  private finishedNodes = 0;
  private reportedProgress = 0;
  private failure: RunError | null = null;
  private stopRequested = false;
  private hookFailure: { error: unknown } | null = null;
  private hookTail: Promise<void> = Promise.resolve();
  private unsettledHooks = 0;
  private becameIdle: () => void = () => undefined;
  private used = false;

  constructor(
    private readonly plan: RunPlan,
    private readonly input: ResolvedRunInput,
    private readonly hooks: RunHooks,
    private readonly options: RunOptions,
  ) {
    this.maxParallel = options.maxParallel ?? DEFAULT_MAX_PARALLEL;
    this.resuming = new Map(options.waits);
    this.redactor = SecretRedactor.for(options.secrets);
    this.services = redactedServices(options.services, this.redactor);
    this.sizes = new ValueSizes(userCodeLimits(options.services).maxValueBytes, plan);
    if (!Number.isInteger(this.maxParallel) || this.maxParallel < 1) {
      throw new RangeError(`maxParallel must be a positive integer, got ${options.maxParallel}`);
    }
  }

  /** Completed and skipped nodes over the nodes planned, 0–100. */
  get progress(): number {
    const total = this.plan.nodes.size;
    return total === 0 ? 100 : Math.floor((this.finishedNodes * 100) / total);
  }

  async run(): Promise<RunResult> {
    if (this.used) throw new Error('a DagRunner walks one run once');
    this.used = true;
    const external = this.options.signal;
    const stop = () => {
      this.stopRequested = true;
      this.abort.abort(external instanceof RunAbort ? external.signal.reason : external?.reason);
    };
    const forgetStop = external instanceof RunAbort ? external.onAbort(stop) : listenOnce(external, stop);
    try {
      this.restoreCompleted();
      await this.reportProgress();
      await new Promise<void>((resolve) => {
        this.becameIdle = resolve;
        this.pump();
      });
      if (this.failure !== null || this.stopRequested) await this.stopWaitingNodes();
      await this.hookTail;
    } finally {
      forgetStop();
    }
    if (this.hookFailure) throw this.hookFailure.error;
    return this.result();
  }

  private restoreCompleted(): void {
    const completed = this.options.completed ?? new Map<string, CompletedNode>();
    const restored: PlannedNode[] = [];
    for (const node of this.plan.nodes.values()) {
      this.unsettledInputs.set(node.id, node.incoming.length);
      const prior = completed.get(node.id);
      if (prior) restored.push(node);
      this.states.set(node.id, {
        status: prior ? 'completed' : 'pending',
        inputs: prior?.inputs ?? null,
        outputs: prior?.outputs ?? null,
        error: null,
      });
    }
    this.finishedNodes = restored.length;
    for (const node of this.plan.nodes.values()) {
      if (node.incoming.length === 0 && this.states.get(node.id)!.status === 'pending') this.ready.push(node.id);
    }
    for (const node of restored) this.release(node);
  }

  /** Starts ready nodes while there is room; notices when nothing is left to do. */
  private pump(): void {
    while (!this.abort.aborted && this.running < this.maxParallel && this.ready.length > 0) {
      const nodeId = this.ready.shift()!;
      this.running++;
      this.visit(this.plan.nodes.get(nodeId)!)
        .catch((error: unknown) => this.recordHookFailure(error))
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
    if (this.running === 0 && (this.ready.length === 0 || this.abort.aborted)) this.becameIdle();
  }

  /**
   * Walks one node: its start is recorded, then the walk yields once (so nodes that became ready
   * together all start before any of them ends, as they would if each took time), then it executes
   * under its policy. A node that executes synchronously, and whose hooks are synchronous, settles
   * in that same turn.
   */
  private async visit(node: PlannedNode): Promise<void> {
    const state = this.states.get(node.id)!;
    const skipReason = this.skipReason(node);
    if (skipReason !== null) {
      state.status = 'skipped';
      await this.callHook(() => this.hooks.onNodeSkipped?.(node.id, skipReason));
      return this.settled(node);
    }

    const inputs = this.gatherInputs(node);
    state.status = 'running';
    state.inputs = this.redacted(inputs);
    const prior = this.options.priorAttempts?.get(node.id) ?? [];
    await this.callHook(() => this.hooks.onNodeStarted?.(node.id, node.type, state.inputs!, prior));
    const startedAt = performance.now();
    const executed = runWithPolicy({
      policy: node.policy,
      nodeId: node.id,
      abort: this.abort,
      prior,
      attemptOnce: (attempt, source) => this.executeWithinLimits(node, inputs, attempt, source),
      onRetrying: (failed, delayMs, all) =>
        this.callHook(() => this.hooks.onNodeRetrying?.(node.id, failed, delayMs, all)) ?? Promise.resolve(),
    });
    const result = executed instanceof Promise ? await executed : executed;
    const ended = this.ended(node, result, Math.round(performance.now() - startedAt));
    if (ended) await ended;
  }

  /** Records how the node's execution ended; a completed node settles. */
  private ended(node: PlannedNode, { outcome, attempts }: PolicyResult, durationMs: number): Awaitable {
    const state = this.states.get(node.id)!;
    if (outcome.kind === 'completed') {
      state.status = 'completed';
      state.outputs = outcome.outputs;
      const hooked = this.callHook(() => this.hooks.onNodeCompleted?.(node.id, outcome.outputs, durationMs, attempts));
      return hooked ? hooked.then(() => this.settled(node)) : this.settled(node);
    }
    if (outcome.kind === 'waiting') {
      state.status = 'waiting';
      this.waiting.set(node.id, outcome.wait);
      return this.callHook(() => this.hooks.onNodeWaiting?.(node.id, outcome.wait, attempts));
    }
    if (outcome.kind === 'failed') {
      state.status = 'failed';
      state.error = outcome.error;
      // The first failure decides the run; a node failing after a stop does not turn it into a failure.
      if (this.failure === null && !this.stopRequested) {
        this.failure = outcome.error;
        this.abort.abort(new Error(`run failed at node "${node.id}"`));
      }
      return this.callHook(() => this.hooks.onNodeFailed?.(node.id, outcome.error, durationMs, attempts));
    }
    state.status = 'stopped';
    return this.callHook(() => this.hooks.onNodeStopped?.(node.id, durationMs));
  }

  /** Why a node cannot run: one of its inputs comes from an untaken branch or a skipped node. */
  private skipReason(node: PlannedNode): string | null {
    for (const edge of node.incoming) {
      const source = this.states.get(edge.from.node_id)!;
      if (source.status === 'skipped') {
        return `input "${edge.to.input}" comes from node "${edge.from.node_id}", which was skipped`;
      }
      if (!Object.hasOwn(source.outputs ?? {}, edge.from.output)) {
        return `input "${edge.to.input}" comes from output "${edge.from.output}" of node "${edge.from.node_id}", which was not produced`;
      }
    }
    return null;
  }

  private gatherInputs(node: PlannedNode): Record<string, unknown> {
    if (this.plan.singleNodeId === node.id) return { ...this.input.connectorValues };
    const inputs: Record<string, unknown> = {};
    for (const edge of node.incoming) {
      inputs[edge.to.input] = this.states.get(edge.from.node_id)!.outputs![edge.from.output];
    }
    return inputs;
  }

  /**
   * One execution of the node. A node type that returns its outputs directly is answered directly;
   * one that returns a promise is raced against the run's abort, so no node can hold up the run.
   */
  private execute(
    node: PlannedNode,
    inputs: Record<string, unknown>,
    attempt: number,
    source: SignalSource,
  ): Outcome | Promise<Outcome> {
    if (this.abort.aborted) return { kind: 'stopped' };
    const ctx = new NodeCall(
      {
        runId: this.options.runId,
        groupId: this.options.groupId,
        nodeId: node.id,
        attempt,
        config: node.config,
        runInput: this.input.inputNodeValues.get(node.id),
        emitDelta: (delta) => this.emitDelta(node.id, this.redacted(delta)),
        services: this.services,
        secrets: this.options.secrets,
        resumedFrom: this.resuming.get(node.id),
      },
      this.options.callPath ?? this.options.runId,
      source,
    );
    this.resuming.delete(node.id);
    let returned: ReturnType<typeof node.nodeType.execute>;
    try {
      returned = node.nodeType.execute(inputs, ctx);
    } catch (thrown) {
      return this.abort.aborted ? { kind: 'stopped' } : this.thrownOutcome(node, thrown);
    }
    if (!isThenable(returned)) {
      // The run stopped while the node executed (it or a hook it called stopped it): the node is
      // stopped, as an asynchronous one is when the stop comes first.
      return this.abort.aborted ? { kind: 'stopped' } : this.returnedOutcome(node, returned);
    }
    const executed = Promise.resolve(returned).then(
      (outputs) => this.returnedOutcome(node, outputs),
      (thrown: unknown) => this.thrownOutcome(node, thrown),
    );
    this.abortedOutcome ??= new Promise((resolve) => this.abort.onAbort(() => resolve({ kind: 'stopped' })));
    return Promise.race([executed, this.abortedOutcome]);
  }

  private returnedOutcome(node: PlannedNode, outputs: unknown): Outcome {
    if (typeof outputs === 'object' && outputs !== null && !Array.isArray(outputs))
      return { kind: 'completed', outputs: this.redacted(outputs as Record<string, unknown>) };
    const message = `node type ${node.type} returned ${String(outputs)} instead of a record of outputs`;
    return { kind: 'failed', error: { node_id: node.id, message, type: 'internal_error' } };
  }

  /** Masked whole before it is cut: a node's message never shows part of a secret. */
  private thrownOutcome(node: PlannedNode, thrown: unknown): Outcome {
    return thrown instanceof Park
      ? { kind: 'waiting', wait: thrown.wait }
      : { kind: 'failed', error: toRunError(node.id, thrown, this.redactor) };
  }

  private redacted<T>(value: T): T {
    return this.redactor ? this.redactor.value(value) : value;
  }

  /**
   * Fails a node whose inputs or outputs do not fit the value limits (MAX_VALUE_BYTES,
   * MAX_VALUE_DEPTH). Whatever goes wrong in here is this node's failure (`internal_error`), not
   * the run's crash: it would go wrong again on every attempt of the run.
   */
  private executeWithinLimits(
    node: PlannedNode,
    inputs: Record<string, unknown>,
    attempt: number,
    source: SignalSource,
  ): Outcome | Promise<Outcome> {
    try {
      const inputsProblem = this.sizes.inputsProblem(inputs);
      if (inputsProblem !== undefined) return { kind: 'failed', error: { node_id: node.id, ...inputsProblem } };
      const outcome = this.execute(node, inputs, attempt, source);
      if (!(outcome instanceof Promise)) return this.withinOutputLimits(node, inputs, outcome);
      return outcome.then(
        (settled) => this.withinOutputLimits(node, inputs, settled),
        (thrown: unknown) => this.internalFailure(node, thrown),
      );
    } catch (thrown) {
      return this.internalFailure(node, thrown);
    }
  }

  private withinOutputLimits(node: PlannedNode, inputs: Record<string, unknown>, outcome: Outcome): Outcome {
    if (outcome.kind !== 'completed') return outcome;
    try {
      const outputsProblem = this.sizes.outputsProblem(node, inputs, outcome.outputs);
      return outputsProblem === undefined
        ? outcome
        : { kind: 'failed', error: { node_id: node.id, ...outputsProblem } };
    } catch (thrown) {
      return this.internalFailure(node, thrown);
    }
  }

  private internalFailure(node: PlannedNode, thrown: unknown): Outcome {
    return { kind: 'failed', error: toRunError(node.id, thrown, this.redactor) };
  }

  private emitDelta(nodeId: string, delta: Record<string, unknown>): void {
    // A delta arriving after its node finished, or once the run is ending, has nobody to go to.
    if (this.states.get(nodeId)!.status !== 'running' || this.abort.aborted) return;
    this.callHook(() => this.hooks.onDelta?.(nodeId, delta))?.catch(() => undefined);
  }

  /** A node completed or was skipped: record progress, then let the nodes it feeds move on. */
  private settled(node: PlannedNode): Awaitable {
    this.finishedNodes++;
    const reported = this.reportProgress();
    if (!reported) return this.release(node);
    return reported.then(() => this.release(node));
  }

  private release(node: PlannedNode): void {
    for (const edge of node.outgoing) {
      const target = edge.to.node_id;
      const unsettled = this.unsettledInputs.get(target)! - 1;
      this.unsettledInputs.set(target, unsettled);
      if (unsettled === 0 && this.states.get(target)!.status === 'pending') this.ready.push(target);
    }
  }

  private reportProgress(): Awaitable {
    const percent = this.progress;
    if (percent === this.reportedProgress) return;
    this.reportedProgress = percent;
    return this.callHook(() => this.hooks.onProgress?.(percent));
  }

  /**
   * Calls a hook after the ones already called; after one has thrown, no other runs. While none is
   * unsettled the hook is called at once: most hooks are synchronous, and queueing each behind the
   * tail cost two promises and a microtask turn per call, a dozen calls in a small run.
   */
  private callHook(call: () => Awaitable): Promise<void> | undefined {
    if (this.unsettledHooks > 0) {
      return this.queue(
        this.hookTail.then(async () => {
          if (this.hookFailure) throw this.hookFailure.error;
          await call();
        }),
      );
    }
    if (this.hookFailure) return Promise.reject(this.hookFailure.error);
    try {
      const result = call();
      return result ? this.queue(result) : undefined;
    } catch (error) {
      this.recordHookFailure(error);
      return Promise.reject(error);
    }
  }

  /** Makes the next hook wait for `turn`, and a failure of it end the walk. */
  private queue(turn: Promise<void>): Promise<void> {
    this.unsettledHooks++;
    this.hookTail = turn.catch((error: unknown) => this.recordHookFailure(error)).finally(() => this.unsettledHooks--);
    return turn;
  }

  private recordHookFailure(error: unknown): void {
    if (this.hookFailure) return;
    this.hookFailure = { error };
    this.abort.abort(error);
  }

  /** A run that failed or stopped while nodes were parked ends their waits too. */
  private async stopWaitingNodes(): Promise<void> {
    for (const nodeId of this.waiting.keys()) {
      this.states.get(nodeId)!.status = 'stopped';
      await this.callHook(() => this.hooks.onNodeStopped?.(nodeId, 0))?.catch(() => undefined);
    }
    this.waiting.clear();
  }

  private result(): RunResult {
    const unfinished = [...this.states].filter(
      ([, state]) => state.status !== 'completed' && state.status !== 'skipped',
    );
    if (this.failure === null && !this.stopRequested && this.waiting.size > 0) {
      // Parked: nodes downstream of the waiting ones are still pending; the run resumes later.
      return {
        status: 'waiting',
        error: null,
        nodes: this.states,
        output: {},
        progress: this.progress,
        waiting: this.waiting,
      };
    }
    if (this.failure === null && !this.stopRequested && unfinished.length > 0) {
      // Only a cycle can strand nodes; the definition validator rejects those before a run exists.
      throw new Error(`nodes never became ready: ${unfinished.map(([id]) => id).join(', ')}`);
    }
    const status = this.failure ? 'failed' : unfinished.length > 0 ? 'stopped' : 'completed';
    return {
      status,
      error: this.failure,
      nodes: this.states,
      output: assembleOutput(this.plan, this.states, { useOutputIds: this.options.useOutputIds }),
      progress: this.progress,
      waiting: this.waiting,
    };
  }
}

/**
 * Client spans get their attributes and errors masked like everything else that leaves a node,
 * and their texts cut after masking (a URL or an error can be as long as a value).
 */
function redactedServices(
  services: NodeServices | undefined,
  redactor: SecretRedactor | null,
): NodeServices | undefined {
  const traceOutbound = services?.traceOutbound;
  if (!traceOutbound) return services;
  const text = (value: string) => shorten(value, MAX_ERROR_MESSAGE_LENGTH, redactor);
  const masked = <T extends Record<string, unknown>>(record: T): T => {
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record))
      copy[text(key)] = typeof value === 'string' ? text(value) : value;
    return copy as T;
  };
  return {
    ...services,
    traceOutbound(nodeId, name, attributes) {
      const span = traceOutbound(nodeId, text(name), masked(attributes));
      return { end: (result) => span.end(masked(result)) };
    },
  };
}

/** What `await` would wait for: a promise, or any object with a `then` method. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** Calls `callback` when `signal` aborts (at once, when it has); the function returned stops listening. */
function listenOnce(signal: AbortSignal | undefined, callback: () => void): () => void {
  if (!signal) return () => undefined;
  if (signal.aborted) {
    callback();
    return () => undefined;
  }
  signal.addEventListener('abort', callback, { once: true });
  return () => signal.removeEventListener('abort', callback);
}
