import { describe, expect, it } from '@jest/globals';
import type { WorkflowDefinition } from '../definition.js';
import { assembleOutput } from './run-output.js';
import { planRun, type RunSelection } from './run-plan.js';
import type { NodeResult } from './run-result.js';
import { outputNode, registryWith, step, StepRecorder, workflow } from './testing/step-node.js';

const registry = registryWith(new StepRecorder());

const graph = workflow(
  {
    a: step(),
    b: step({ inputs: ['in'] }),
    answer: outputNode('Answer'),
    raw: outputNode(),
    never: outputNode('Never'),
  },
  ['a.out -> b.in', 'b.out -> answer.value', 'a.out -> raw.value', 'b.out -> never.value'],
);

const completed = (inputs: Record<string, unknown>, outputs: Record<string, unknown>): NodeResult => ({
  status: 'completed',
  inputs,
  outputs,
  error: null,
});

const results = new Map<string, NodeResult>([
  ['a', completed({}, { out: 'A' })],
  ['b', completed({ in: 'A' }, { out: 'B' })],
  ['answer', completed({ value: 'B' }, {})],
  ['raw', completed({ value: 'A' }, {})],
  ['never', { status: 'skipped', inputs: null, outputs: null, error: null }],
]);

function output(selection: RunSelection, useOutputIds = false, definition: WorkflowDefinition = graph) {
  const planned = planRun(definition, registry, selection);
  if (!planned.ok) throw new Error(JSON.stringify(planned.problems));
  return assembleOutput(planned.plan, results, { useOutputIds });
}

describe('assembleOutput', () => {
  it('keys each OutputNode that ran by label, or by id when it has none; skipped ones are absent', () => {
    expect(output({})).toEqual({ Answer: 'B', raw: 'A' });
  });

  it('keys OutputNodes by node id with use_output_ids', () => {
    expect(output({}, true)).toEqual({ answer: 'B', raw: 'A' });
  });

  it('with node_ids adds the outputs of listed nodes that are not OutputNodes, under their id', () => {
    expect(output({ nodeIds: ['b', 'answer'] })).toEqual({ b: { out: 'B' }, Answer: 'B' });
  });

  it('with single_node_id is that node’s outputs by connector', () => {
    expect(output({ singleNodeId: 'b' })).toEqual({ out: 'B' });
  });

  it('for a single OutputNode is its value under its label, as in a whole run', () => {
    expect(output({ singleNodeId: 'answer' })).toEqual({ Answer: 'B' });
  });

  it('is empty when nothing completed', () => {
    const planned = planRun(graph, registry);
    expect(planned.ok && assembleOutput(planned.plan, new Map())).toEqual({});
  });
});
