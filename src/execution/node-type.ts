/**
 * The contract every node type implements. A node type is one file under `nodes/`, registered with
 * one line in `nodes/index.ts`. Node types know nothing of HTTP or the database.
 */
import type { NodeServices } from './node-services.js';
import type { SecretValues } from './secret-values.js';

export type { InputConnector, JsonSchema, NodeExample, NodeTypeDescription, OutputConnector } from './node-catalog.js';
import type { InputConnector, NodeTypeDescription, OutputConnector } from './node-catalog.js';

/** A problem with one node's config, beyond what the JSON Schema catches (e.g. a JSONata syntax error). */
export interface ConfigProblem {
  /** Path below the node's `config`, e.g. `expression` or `inputs[1]`. */
  path: string;
  message: string;
}

/** Streaming output while a node runs (e.g. LLM tokens), published as `node.delta` events. */
export type DeltaSink = (delta: Record<string, unknown>) => void;

export interface NodeContext<C> {
  runId: string;
  /** The run's group: user code is scheduled fairly between groups. Unset in tests and tools. */
  groupId?: string;
  nodeId: string;
  /** 1 for the first execution of the node, 2+ for retries under its `retry` policy. */
  attempt?: number;
  /**
   * Names this node's call to the outside world: the same across its retries, a resumed attempt of
   * the run and a retry of the run (same call path), different for every other node, map item and
   * new run. Sent as `Idempotency-Key` by HttpRequestNode so receivers can deduplicate.
   */
  idempotencyKey: string;
  config: C;
  /** Aborted when the run is stopped or fails elsewhere; every await that can take time honours it. */
  signal: AbortSignal;
  /** For InputNode only: the run input resolved for this node (label or id, default applied). */
  runInput?: unknown;
  emitDelta: DeltaSink;
  /** Server-provided settings (e.g. the LLM provider); absent in tests that need none. */
  services?: NodeServices;
  /** The group secrets the run resolved when it started, for `((secrets.NAME))` in templates. */
  secrets?: SecretValues;
  /** Set when the node parked the run earlier (it threw Park) and the run now resumes it. */
  resumedFrom?: EndedWait;
}

/** What a node parks the run for (a durable wait): a time, a signal, or a signal with a timeout. */
export interface WaitRequest {
  /** When the wait ends (WaitNode) or times out (SignalNode); null for never. */
  until: Date | null;
  /** The name of the signal awaited (SignalNode). */
  signal?: string;
}

/** A wait a node parked in, as the run resumes the node: its time may have come, or its signal. */
export interface EndedWait {
  until: Date | null;
  /** The signal taken for the node, when one was sent. */
  signal?: { payload: unknown };
}

/**
 * Thrown by a node to park the run: it holds nothing while it waits (no slot, lease or
 * connection), and the node executes again, with `ctx.resumedFrom` set, once the time has come or
 * a signal has arrived (or the wait's `until` has passed).
 */
export class Park extends Error {
  constructor(readonly wait: WaitRequest) {
    super(wait.signal ? `waiting for signal "${wait.signal}"` : `waiting until ${wait.until?.toISOString()}`);
    this.name = 'Park';
  }
}

/** Thrown by a node to fail with a message meant for the API user. */
export class NodeFailure extends Error {
  constructor(
    message: string,
    readonly type = 'node_error',
  ) {
    super(message);
    this.name = 'NodeFailure';
  }
}

export interface NodeType<C = Record<string, unknown>> {
  readonly type: string;
  /**
   * True when running the node acts on the outside world (HTTP calls, LLM calls): its completion
   * is persisted before the run moves on, so a resumed run never repeats it.
   */
  readonly hasExternalEffects?: boolean;
  /** True when the node, with this config, may park the run (throw Park): a durable wait. */
  mayPark?(config: C): boolean;
  describe(): NodeTypeDescription;
  /** Input connectors for this config (config has already passed the schema). */
  inputs(config: C): InputConnector[];
  /** Output connectors for this config. */
  outputs(config: C): OutputConnector[];
  /** Semantic checks the schema cannot express; [] when fine. */
  checkConfig(config: C): ConfigProblem[];
  /**
   * Runs the node. `inputs` holds a value for every connected input that was produced upstream
   * (and, for single-node runs, the run input by connector name). Returns a value per output
   * connector that fires; an output left out is "not produced", and nodes fed only by it are skipped.
   * A node with nothing to wait for may return its outputs directly: the walker then settles it
   * without a turn of the event loop.
   */
  execute(
    inputs: Record<string, unknown>,
    ctx: NodeContext<C>,
  ): Record<string, unknown> | Promise<Record<string, unknown>>;
}
