/** Times the engine alone (planning, input resolution, walk) on 1,000-node DAGs of real node types. */
import { performance } from 'node:perf_hooks';
import type { NodeDefinition, WorkflowDefinition, EdgeDefinition } from '../src/execution/definition.js';
import { DagRunner, planRun, resolveRunInput } from '../src/execution/engine/index.js';
import { builtInNodeTypes } from '../src/execution/nodes/index.js';

const edge = (from: string, output: string, to: string, input: string): EdgeDefinition => ({
  from: { node_id: from, output },
  to: { node_id: to, input },
});

/** InputNode → 998 TextTemplateNodes in a line → OutputNode. */
function chain(): WorkflowDefinition {
  const nodes: NodeDefinition[] = [{ id: 'in', type: 'InputNode', config: { label: 'x' } }];
  const edges: EdgeDefinition[] = [];
  let previous = 'in';
  let output = 'value';
  for (let i = 0; i < 998; i++) {
    nodes.push({ id: `t${i}`, type: 'TextTemplateNode', config: { template: '((x))' } });
    edges.push(edge(previous, output, `t${i}`, 'x'));
    previous = `t${i}`;
    output = 'text';
  }
  nodes.push({ id: 'out', type: 'OutputNode', config: { label: 'out' } });
  edges.push(edge(previous, output, 'out', 'value'));
  return { nodes, edges };
}

/** InputNode fanning out to 499 TextTemplateNodes, each with its own OutputNode. */
function wide(): WorkflowDefinition {
  const nodes: NodeDefinition[] = [{ id: 'in', type: 'InputNode', config: { label: 'x' } }];
  const edges: EdgeDefinition[] = [];
  for (let i = 0; i < 499; i++) {
    nodes.push({ id: `t${i}`, type: 'TextTemplateNode', config: { template: '#((x))' } });
    nodes.push({ id: `o${i}`, type: 'OutputNode', config: { label: `o${i}` } });
    edges.push(edge('in', 'value', `t${i}`, 'x'), edge(`t${i}`, 'text', `o${i}`, 'value'));
  }
  return { nodes, edges };
}

async function walkOnce(definition: WorkflowDefinition): Promise<number> {
  const started = performance.now();
  const planned = planRun(definition, builtInNodeTypes);
  if (!planned.ok) throw new Error(JSON.stringify(planned.problems));
  const input = resolveRunInput(planned.plan, { x: 'hello' });
  if (!input.ok) throw new Error(JSON.stringify(input.problems));
  const result = await new DagRunner(planned.plan, input.input, {}, { runId: 'bench' }).run();
  if (result.status !== 'completed') throw new Error(`run ${result.status}`);
  return performance.now() - started;
}

export interface EngineFigures {
  nodes: number;
  chainMedianMs: number;
  wideMedianMs: number;
}

export async function benchEngine(rounds = 30): Promise<EngineFigures> {
  const shapes = { chain: chain(), wide: wide() };
  const medians: Record<string, number> = {};
  for (const [name, definition] of Object.entries(shapes)) {
    for (let i = 0; i < 5; i++) await walkOnce(definition);
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) times.push(await walkOnce(definition));
    times.sort((a, b) => a - b);
    medians[name] = times[Math.floor(times.length / 2)];
  }
  return { nodes: shapes.chain.nodes.length, chainMedianMs: medians.chain, wideMedianMs: medians.wide };
}
