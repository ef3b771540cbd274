import { describe, expect, it } from '@jest/globals';
import { OutputNode } from './output-node.js';
import { testNodeContext } from './test-node-context.js';

describe('OutputNode', () => {
  it('has one required input `value` and no outputs', () => {
    expect(OutputNode.inputs({})).toEqual([{ name: 'value', required: true, description: 'the value to output' }]);
    expect(OutputNode.outputs({})).toEqual([]);
  });

  it('produces nothing itself: the run output is read from its input', async () => {
    expect(OutputNode.execute({ value: 1 }, testNodeContext({ label: 'Answer' }))).toEqual({});
  });

  it('has no semantic config checks', () => {
    expect(OutputNode.checkConfig({ label: 'x' })).toEqual([]);
  });
});
