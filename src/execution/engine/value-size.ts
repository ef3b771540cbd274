import { jsonSize, MAX_VALUE_DEPTH } from './json-size.js';
import { OUTPUT_NODE_TYPE, type PlannedNode, type RunPlan } from './run-plan.js';

/** Why a node's values do not fit: `value_too_large`, `value_too_deep` or `value_not_storable`. */
export interface ValueProblem {
  type: 'value_too_large' | 'value_too_deep' | 'value_not_storable';
  message: string;
}

/** A value's measure: its bytes of UTF-8 JSON, or one of these for a value that cannot be stored. */
const TOO_DEEP = -1;
const UNSTORABLE = -2;

/**
 * One run's values against MAX_VALUE_BYTES, measured as stored (UTF-8 JSON): a node's inputs
 * together, its outputs together, and the run output as it accumulates; and each value against
 * MAX_VALUE_DEPTH and what PostgreSQL can store. An object is measured once however many nodes it
 * feeds.
 */
export class ValueSizes {
  private readonly measured = new WeakMap<object, number>();
  private runOutputBytes = 0;

  constructor(
    readonly limit: number,
    private readonly plan: RunPlan,
    readonly maxDepth = MAX_VALUE_DEPTH,
  ) {}

  /** Why the node may not run with these inputs; undefined when they fit. */
  inputsProblem(inputs: Record<string, unknown>): ValueProblem | undefined {
    return this.problem(`the node's input`, this.ofRecord(inputs));
  }

  /** Why the node's outputs, or what they add to the run output, do not fit; undefined when they do. */
  outputsProblem(
    node: PlannedNode,
    inputs: Record<string, unknown>,
    outputs: Record<string, unknown>,
  ): ValueProblem | undefined {
    const bytes = this.ofRecord(outputs);
    const outputsProblem = this.problem(`the node's output`, bytes);
    if (outputsProblem) return outputsProblem;
    const listed = this.plan.singleNodeId === node.id || (this.plan.requestedNodeIds ?? []).includes(node.id);
    this.runOutputBytes += node.type === OUTPUT_NODE_TYPE ? this.of(inputs.value) : listed ? bytes : 0;
    return this.problem('the run output', this.runOutputBytes);
  }

  private of(value: unknown): number {
    if (value === undefined) return 0;
    const memo = typeof value === 'object' && value !== null ? this.measured.get(value) : undefined;
    if (memo !== undefined) return memo;
    const size = jsonSize(value, this.maxDepth);
    const bytes = 'bytes' in size ? size.bytes : size.problem === 'too_deep' ? TOO_DEEP : UNSTORABLE;
    if (typeof value === 'object' && value !== null) this.measured.set(value, bytes);
    return bytes;
  }

  /** The record's total bytes, or the first value's TOO_DEEP or UNSTORABLE. */
  private ofRecord(record: Record<string, unknown>): number {
    let total = 0;
    for (const value of Object.values(record)) {
      const bytes = this.of(value);
      if (bytes < 0) return bytes;
      total += bytes;
    }
    return total;
  }

  private problem(what: string, bytes: number): ValueProblem | undefined {
    if (bytes === TOO_DEEP) {
      const message = `${what} nests arrays or objects more than ${this.maxDepth} levels deep (MAX_VALUE_DEPTH)`;
      return { type: 'value_too_deep', message };
    }
    if (bytes === UNSTORABLE) {
      const message = `${what} holds a string with a NUL character or an unpaired surrogate, which cannot be stored`;
      return { type: 'value_not_storable', message };
    }
    if (bytes <= this.limit) return undefined;
    const message = `${what} is ${bytes} bytes of JSON, more than the limit of ${this.limit} bytes (MAX_VALUE_BYTES)`;
    return { type: 'value_too_large', message };
  }
}
