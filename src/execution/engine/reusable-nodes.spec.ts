import { describe, expect, it } from '@jest/globals';
import type { WorkflowDefinition } from '../definition.js';
import { builtInNodeTypes } from '../nodes/index.js';
import { prepareRun, type PreparedRun } from './prepared-run.js';
import { reusableNodes } from './reusable-nodes.js';
import type { CompletedNode } from './run-result.js';
import type { RunSelection } from './run-plan.js';
import { workflow } from './testing/step-node.js';

// question → shout → greet → answer; name → greet. `flaky` hangs off shout and failed in the source.
const source: WorkflowDefinition = workflow(
  {
    question: { type: 'InputNode', config: { label: 'question', type: 'str' } },
    name: { type: 'InputNode', config: { label: 'name', type: 'str' } },
    shout: { type: 'TransformNode', config: { expression: '$uppercase($)' } },
    greet: { type: 'TextTemplateNode', config: { template: '((q)), ((n))' } },
    answer: { type: 'OutputNode', config: { label: 'answer' } },
    flaky: { type: 'TransformNode', config: { expression: '$error("down")' } },
  },
  [
    'question.value -> shout.data',
    'shout.result -> greet.q',
    'name.value -> greet.n',
    'greet.text -> answer.value',
    'shout.result -> flaky.data',
  ],
);

const sourceInput = { question: 'why', name: 'Ada' };
const completed = new Map<string, CompletedNode>([
  ['question', { inputs: {}, outputs: { value: 'why' } }],
  ['name', { inputs: {}, outputs: { value: 'Ada' } }],
  ['shout', { inputs: { data: 'why' }, outputs: { result: 'WHY' } }],
  ['greet', { inputs: { q: 'WHY', n: 'Ada' }, outputs: { text: 'WHY, Ada' } }],
]);

function prepared(definition: WorkflowDefinition, input: object, selection: RunSelection = {}): PreparedRun {
  const result = prepareRun(definition, input, builtInNodeTypes, selection);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.prepared;
}

function reused(definition: WorkflowDefinition, input: object = sourceInput, forced: string[] = []): string[] {
  const run = prepared(definition, input);
  return [...reusableNodes(run.plan, run.input, { definition: source, completed }, new Set(forced))].sort();
}

function changed(nodeId: string, config: Record<string, unknown>): WorkflowDefinition {
  return { ...source, nodes: source.nodes.map((node) => (node.id === nodeId ? { ...node, config } : node)) };
}

describe('reusableNodes', () => {
  it('takes over every node that completed, and none that failed or never ran', () => {
    expect(reused(source)).toEqual(['greet', 'name', 'question', 'shout']);
  });

  it('runs a changed node and everything downstream of it again, nothing else', () => {
    expect(reused(changed('shout', { expression: '$lowercase($)' }))).toEqual(['name', 'question']);
    expect(reused(changed('greet', { template: '((q))!' }))).toEqual(['name', 'question', 'shout']);
  });

  it('runs a node again when a policy of it changed', () => {
    const withRetry = {
      ...source,
      nodes: source.nodes.map((n) => (n.id === 'greet' ? { ...n, retry: { max_attempts: 3 } } : n)),
    };
    expect(reused(withRetry)).toEqual(['name', 'question', 'shout']);
  });

  it('takes over nodes an editor only moved: a position is not behaviour', () => {
    const moved = { ...source, nodes: source.nodes.map((n, i) => ({ ...n, position: { x: i * 240, y: 80 } })) };
    expect(reused(moved)).toEqual(['greet', 'name', 'question', 'shout']);
  });

  it('runs the nodes fed by a changed input again, and keeps the ones fed by unchanged inputs', () => {
    expect(reused(source, { question: 'why', name: 'Grace' })).toEqual(['question', 'shout']);
    expect(reused(source, { question: 'how', name: 'Ada' })).toEqual(['name']);
  });

  it('runs forced nodes and everything downstream of them again', () => {
    expect(reused(source, sourceInput, ['shout'])).toEqual(['name', 'question']);
    expect(reused(source, sourceInput, ['answer'])).toEqual(['greet', 'name', 'question', 'shout']);
  });

  it('runs a node again when its edges changed', () => {
    const rewired = {
      ...source,
      edges: source.edges.map((edge) =>
        edge.to.node_id === 'greet' && edge.to.input === 'n'
          ? { ...edge, from: { node_id: 'shout', output: 'result' } }
          : edge,
      ),
    };
    expect(reused(rewired)).toEqual(['name', 'question', 'shout']);
  });

  it('runs a node that the source did not have', () => {
    const renamed = workflow(
      {
        question: { type: 'InputNode', config: { label: 'question', type: 'str' } },
        yell: { type: 'TransformNode', config: { expression: '$uppercase($)' } },
      },
      ['question.value -> yell.data'],
    );
    const run = prepared(renamed, { question: 'why' });
    expect([...reusableNodes(run.plan, run.input, { definition: source, completed })]).toEqual(['question']);
  });

  it('reuses nothing in a single-node run', () => {
    const run = prepared(source, { data: 'why' }, { singleNodeId: 'shout' });
    expect(reusableNodes(run.plan, run.input, { definition: source, completed }).size).toBe(0);
  });
});
