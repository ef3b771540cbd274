import { OUTPUT_NODE_TYPE, type PlannedNode, type RunPlan } from './run-plan.js';

/**
 * One run's values against MAX_VALUE_BYTES, measured as stored (UTF-8 JSON): a node's inputs
 * together, its outputs together, and the run output as it accumulates. An object is measured once
 * however many nodes it feeds; a value too large for V8 to serialise counts as Infinity.
 */
export class ValueSizes {
  private readonly measured = new WeakMap<object, number>();
  private runOutputBytes = 0;

  constructor(
    readonly limit: number,
    private readonly plan: RunPlan,
  ) {}

  /** Why the node may not run with these inputs; undefined when they fit. */
  inputsProblem(inputs: Record<string, unknown>): string | undefined {
    const bytes = this.ofRecord(inputs);
    return bytes > this.limit ? this.tooLarge(`the node's input`, bytes) : undefined;
  }

  /** Why the node's outputs, or what they add to the run output, do not fit; undefined when they do. */
  outputsProblem(
    node: PlannedNode,
    inputs: Record<string, unknown>,
    outputs: Record<string, unknown>,
  ): string | undefined {
    const bytes = this.ofRecord(outputs);
    if (bytes > this.limit) return this.tooLarge(`the node's output`, bytes);
    const listed = this.plan.singleNodeId === node.id || (this.plan.requestedNodeIds ?? []).includes(node.id);
    this.runOutputBytes += node.type === OUTPUT_NODE_TYPE ? this.of(inputs.value) : listed ? bytes : 0;
    return this.runOutputBytes > this.limit ? this.tooLarge('the run output', this.runOutputBytes) : undefined;
  }

  private of(value: unknown): number {
    if (value === undefined) return 0;
    const memo = typeof value === 'object' && value !== null ? this.measured.get(value) : undefined;
    if (memo !== undefined) return memo;
    let bytes: number;
    try {
      bytes = Buffer.byteLength(JSON.stringify(value) ?? '');
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      bytes = Infinity;
    }
    if (typeof value === 'object' && value !== null) this.measured.set(value, bytes);
    return bytes;
  }

  private ofRecord(record: Record<string, unknown>): number {
    let total = 0;
    for (const value of Object.values(record)) total += this.of(value);
    return total;
  }

  private tooLarge(what: string, bytes: number): string {
    const size = Number.isFinite(bytes) ? `${bytes} bytes` : 'too large to measure';
    return `${what} is ${size} of JSON, more than the limit of ${this.limit} bytes (MAX_VALUE_BYTES)`;
  }
}
