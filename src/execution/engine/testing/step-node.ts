import type { NodeDefinition, WorkflowDefinition } from '../../definition.js';
import { NodeFailure, Park, type NodeContext, type NodeType } from '../../node-type.js';
import { NodeRegistry } from '../../nodes/index.js';
import { InputNode } from '../../nodes/input-node.js';
import { OutputNode } from '../../nodes/output-node.js';

/**
 * A scriptable node type for engine tests. Its outputs carry a trace of where their value came
 * from: node `c` fed by `b` fed by `a` produces "c(b(a))".
 */
export type StepConfig = {
  /** Required inputs. */
  inputs?: string[];
  optionalInputs?: string[];
  /** Declared outputs, default ["out"]. */
  outputs?: string[];
  /** The outputs actually produced, default all: leaving one out models an untaken branch. */
  produce?: string[];
  /** Throw a NodeFailure with this message. */
  fail?: string;
  /** Throw a plain Error with this message, as buggy node code would. */
  crash?: string;
  /** Wait until the test calls `release(id)`; rejects when the run aborts, unless `ignoreAbort`. */
  gated?: boolean;
  ignoreAbort?: boolean;
  /** Emit these deltas before finishing. */
  deltas?: number;
  /** Park the run for a signal of this name (a durable wait); resumed, produce its payload. */
  parkFor?: string;
};

interface Gate {
  promise: Promise<void>;
  open: () => void;
}

function newGate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

export class StepRecorder {
  readonly started: string[] = [];
  readonly finished: string[] = [];
  readonly abortedWhileRunning: string[] = [];
  running = 0;
  maxRunning = 0;
  private readonly gates = new Map<string, Gate>();
  private readonly startGates = new Map<string, Gate>();

  readonly nodeType: NodeType<StepConfig> = {
    type: 'Step',
    describe: () => ({ type: 'Step', description: 'test step', config_schema: {}, inputs: [], outputs: [] }),
    inputs: (config) => [
      ...(config.inputs ?? []).map((name) => ({ name, required: true })),
      ...(config.optionalInputs ?? []).map((name) => ({ name, required: false })),
    ],
    outputs: (config) => (config.outputs ?? ['out']).map((name) => ({ name })),
    checkConfig: () => [],
    execute: (inputs, ctx) => this.execute(inputs, ctx),
  };

  /** Lets a gated node finish. */
  release(nodeId: string): void {
    this.gate(this.gates, nodeId).open();
  }

  /** Resolves once the node has started executing. */
  whenStarted(nodeId: string): Promise<void> {
    return this.gate(this.startGates, nodeId).promise;
  }

  private async execute(inputs: Record<string, unknown>, ctx: NodeContext<StepConfig>) {
    const { config, nodeId } = ctx;
    this.started.push(nodeId);
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    this.gate(this.startGates, nodeId).open();
    try {
      if (config.gated) await this.waitForRelease(nodeId, ctx.signal, config.ignoreAbort ?? false);
      for (let i = 0; i < (config.deltas ?? 0); i++) ctx.emitDelta({ chunk: i });
      if (config.fail !== undefined) throw new NodeFailure(config.fail);
      if (config.crash !== undefined) throw new Error(config.crash);
      if (config.parkFor !== undefined) {
        if (!ctx.resumedFrom?.signal) throw new Park({ until: null, signal: config.parkFor });
        this.finished.push(nodeId);
        return { out: ctx.resumedFrom.signal.payload };
      }
      const args = Object.keys(inputs)
        .sort()
        .map((name) => String(inputs[name]));
      const value = args.length > 0 ? `${nodeId}(${args.join(',')})` : nodeId;
      const produced = config.produce ?? config.outputs ?? ['out'];
      this.finished.push(nodeId);
      return Object.fromEntries(produced.map((name) => [name, value]));
    } finally {
      this.running--;
    }
  }

  private waitForRelease(nodeId: string, signal: AbortSignal, ignoreAbort: boolean): Promise<void> {
    const released = this.gate(this.gates, nodeId).promise;
    if (ignoreAbort) return released;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.abortedWhileRunning.push(nodeId);
        reject(signal.reason);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      void released.then(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }

  private gate(gates: Map<string, Gate>, nodeId: string): Gate {
    if (!gates.has(nodeId)) gates.set(nodeId, newGate());
    return gates.get(nodeId)!;
  }
}

/** A registry with the real InputNode and OutputNode plus the recorder's Step type. */
export function registryWith(recorder: StepRecorder): NodeRegistry {
  return new NodeRegistry().register(InputNode).register(OutputNode).register(recorder.nodeType);
}

export const step = (config: StepConfig = {}) => ({ type: 'Step', config });
export const inputNode = (config: Record<string, unknown> = {}) => ({ type: 'InputNode', config });
export const outputNode = (label?: string) => ({ type: 'OutputNode', config: label === undefined ? {} : { label } });

/** `workflow({ a: step(), b: step({ inputs: ['x'] }) }, ['a.out -> b.x'])` */
export function workflow(nodes: Record<string, Omit<NodeDefinition, 'id'>>, edges: string[] = []): WorkflowDefinition {
  return {
    nodes: Object.entries(nodes).map(([id, node]) => ({ id, ...node })),
    edges: edges.map((edge) => {
      const [from, to] = edge.split('->').map((end) => end.trim().split('.'));
      return { from: { node_id: from[0], output: from[1] }, to: { node_id: to[0], input: to[1] } };
    }),
  };
}

/** A chain `n0 -> n1 -> ... -> n{length-1}` of Step nodes. */
export function chain(length: number, config: StepConfig = {}): WorkflowDefinition {
  const nodes: Record<string, Omit<NodeDefinition, 'id'>> = { n0: step(config) };
  const edges: string[] = [];
  for (let i = 1; i < length; i++) {
    nodes[`n${i}`] = step({ ...config, inputs: ['in'] });
    edges.push(`n${i - 1}.out -> n${i}.in`);
  }
  return workflow(nodes, edges);
}

/** A root feeding `width` independent Step nodes that all feed one join. */
export function fan(width: number, config: StepConfig = {}): WorkflowDefinition {
  const names = Array.from({ length: width }, (_, i) => `w${i}`);
  const nodes: Record<string, Omit<NodeDefinition, 'id'>> = {
    root: step(),
    join: step({ optionalInputs: names }),
  };
  const edges: string[] = [];
  for (const name of names) {
    nodes[name] = step({ ...config, inputs: ['in'] });
    edges.push(`root.out -> ${name}.in`, `${name}.out -> join.${name}`);
  }
  return workflow(nodes, edges);
}
