import type { NodeServices } from '../node-services.js';
import type { DeltaSink, EndedWait, NodeContext } from '../node-type.js';
import type { SecretValues } from '../secret-values.js';
import { nodeIdempotencyKey } from './idempotency-key.js';
import type { SignalSource } from './node-policy.js';

/** What a node's context holds as it is, besides its config. */
export interface NodeCallFields {
  runId: string;
  groupId: string | undefined;
  nodeId: string;
  attempt: number;
  config: Record<string, unknown>;
  runInput: unknown;
  emitDelta: DeltaSink;
  services: NodeServices | undefined;
  secrets: SecretValues | undefined;
  resumedFrom: EndedWait | undefined;
}

/**
 * A node's `ctx` for one execution. What costs something is made when a node reads it, on the
 * class rather than per object: the idempotency key is a hash (only nodes that call out read it),
 * and the signal an AbortController (RunAbort).
 */
export class NodeCall implements NodeContext<Record<string, unknown>> {
  readonly runId: string;
  readonly groupId: string | undefined;
  readonly nodeId: string;
  readonly attempt: number;
  readonly config: Record<string, unknown>;
  readonly runInput: unknown;
  readonly emitDelta: DeltaSink;
  readonly services: NodeServices | undefined;
  readonly secrets: SecretValues | undefined;
  readonly resumedFrom: EndedWait | undefined;
  private key: string | undefined;

  constructor(
    fields: NodeCallFields,
    private readonly callPath: string,
    private readonly source: SignalSource,
  ) {
    this.runId = fields.runId;
    this.groupId = fields.groupId;
    this.nodeId = fields.nodeId;
    this.attempt = fields.attempt;
    this.config = fields.config;
    this.runInput = fields.runInput;
    this.emitDelta = fields.emitDelta;
    this.services = fields.services;
    this.secrets = fields.secrets;
    this.resumedFrom = fields.resumedFrom;
  }

  get idempotencyKey(): string {
    return (this.key ??= nodeIdempotencyKey(this.callPath, this.nodeId));
  }

  get signal(): AbortSignal {
    return this.source.signal;
  }
}
