import { describe, expect, it } from '@jest/globals';
import { prepareRun } from './prepared-run.js';
import { registryWith, step, StepRecorder, workflow } from './testing/step-node.js';

const registry = registryWith(new StepRecorder());
const definition = workflow({ a: step(), b: step({ inputs: ['in'] }) }, ['a.out -> b.in']);

describe('prepareRun', () => {
  it('plans the selected nodes and checks the input against the plan', () => {
    const prepared = prepareRun(definition, {}, registry, { nodeIds: ['a'] });
    expect(prepared.ok && [...prepared.prepared.plan.nodes.keys()]).toEqual(['a']);
  });

  it('says the plan failed when the selection names a node the definition lacks', () => {
    const prepared = prepareRun(definition, {}, registry, { nodeIds: ['missing'] });
    expect(prepared).toMatchObject({ ok: false, stage: 'plan' });
  });

  it('says the input failed when the plan is fine but the input is not an object', () => {
    const prepared = prepareRun(definition, 'not an object', registry);
    expect(prepared).toMatchObject({ ok: false, stage: 'input' });
    expect(!prepared.ok && prepared.problems[0].field).toBe('input');
  });

  it('plans a whole definition once per definition object and node types, a selection every time', () => {
    const first = prepareRun(definition, {}, registry);
    const second = prepareRun(definition, {}, registry);
    expect(first.ok && second.ok && second.prepared.plan).toBe(first.ok && first.prepared.plan);
    expect(second.ok && second.prepared.input).not.toBe(first.ok && first.prepared.input);

    const equalDefinition = prepareRun(structuredClone(definition), {}, registry);
    expect(equalDefinition.ok && equalDefinition.prepared.plan).not.toBe(first.ok && first.prepared.plan);
    const otherTypes = prepareRun(definition, {}, registryWith(new StepRecorder()));
    expect(otherTypes.ok && otherTypes.prepared.plan).not.toBe(first.ok && first.prepared.plan);
    const selected = () => prepareRun(definition, {}, registry, { nodeIds: ['a', 'b'] });
    const [a, b] = [selected(), selected()];
    expect(a.ok && b.ok && a.prepared.plan).not.toBe(b.ok && b.prepared.plan);
  });
});
