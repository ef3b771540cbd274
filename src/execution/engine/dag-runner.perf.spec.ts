import { describe, expect, it } from '@jest/globals';
import type { NodeDefinition, WorkflowDefinition } from '../definition.js';
import type { NodeType } from '../node-type.js';
import { NodeRegistry } from '../nodes/index.js';
import { runWorkflow } from './testing/run-workflow.js';
import { workflow } from './testing/step-node.js';

/** Does nothing, so the timing is the walker's own overhead. */
const Trivial: NodeType = {
  type: 'Trivial',
  describe: () => ({ type: 'Trivial', description: '', config_schema: {}, inputs: [], outputs: [] }),
  inputs: () => [],
  outputs: () => [{ name: 'out' }],
  checkConfig: () => [],
  execute: async () => ({ out: 1 }),
};
const registry = new NodeRegistry().register(Trivial);
const NODES = 1000;

function chainOf(length: number): WorkflowDefinition {
  const nodes: Record<string, Omit<NodeDefinition, 'id'>> = {};
  const edges: string[] = [];
  for (let i = 0; i < length; i++) {
    nodes[`n${i}`] = { type: 'Trivial' };
    if (i > 0) edges.push(`n${i - 1}.out -> n${i}.in`);
  }
  return workflow(nodes, edges);
}

/** A root feeding `length - 2` nodes that all feed one join. */
function wideOf(length: number): WorkflowDefinition {
  const nodes: Record<string, Omit<NodeDefinition, 'id'>> = { root: { type: 'Trivial' }, join: { type: 'Trivial' } };
  const edges: string[] = [];
  for (let i = 0; i < length - 2; i++) {
    nodes[`w${i}`] = { type: 'Trivial' };
    edges.push(`root.out -> w${i}.in`, `w${i}.out -> join.in${i}`);
  }
  return workflow(nodes, edges);
}

/** Median of a few walks after a warm-up; hooks are async no-ops, as persistence would be awaited. */
async function medianWalkMs(definition: WorkflowDefinition): Promise<number> {
  const hooks = { onNodeStarted: async () => undefined, onNodeCompleted: async () => undefined };
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const startedAt = performance.now();
    const result = await runWorkflow(definition, registry, { hooks });
    times.push(performance.now() - startedAt);
    expect(result.status).toBe('completed');
  }
  return times.slice(2).sort((a, b) => a - b)[2];
}

describe(`walking ${NODES} trivial nodes`, () => {
  // Generous bounds: the target is < 50 ms; these only catch something pathological (e.g. quadratic).
  it('as a chain', async () => {
    const ms = await medianWalkMs(chainOf(NODES));
    // eslint-disable-next-line no-console -- reporting the figure is the point of this test
    console.log(`chain of ${NODES}: ${ms.toFixed(1)} ms (plan + resolve + walk, median)`);
    expect(ms).toBeLessThan(1_000);
  });

  it('as a wide fan-out', async () => {
    const ms = await medianWalkMs(wideOf(NODES));
    // eslint-disable-next-line no-console -- reporting the figure is the point of this test
    console.log(`fan-out of ${NODES}: ${ms.toFixed(1)} ms (plan + resolve + walk, median)`);
    expect(ms).toBeLessThan(1_000);
  });
});
