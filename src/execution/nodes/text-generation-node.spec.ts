import { describe, expect, it } from '@jest/globals';
import { testNodeContext } from './test-node-context.js';
import { TextGenerationNode } from './text-generation-node.js';

describe('TextGenerationNode', () => {
  it('has one required input per placeholder across template and system, and the output `text`', () => {
    const config = { template: 'Answer ((question))', system: 'You are ((persona)); be brief about ((question))' };
    expect(TextGenerationNode.inputs(config).map((i) => [i.name, i.required])).toEqual([
      ['question', true],
      ['persona', true],
    ]);
    expect(TextGenerationNode.outputs(config).map((o) => o.name)).toEqual(['text']);
  });

  it('reports malformed placeholders in template and system', () => {
    expect(TextGenerationNode.checkConfig({ template: '((a))', system: 'x' })).toEqual([]);
    expect(TextGenerationNode.checkConfig({ template: '((a.b))', system: '((-))' })).toEqual([
      { path: 'template', message: expect.stringContaining('invalid placeholder ((a.b))') },
      { path: 'system', message: expect.stringContaining('invalid placeholder ((-))') },
    ]);
  });

  it('fails clearly as not implemented yet', async () => {
    await expect(TextGenerationNode.execute({}, testNodeContext({ template: 'x' }))).rejects.toMatchObject({
      name: 'NodeFailure',
      type: 'not_implemented',
      message: 'TextGenerationNode cannot run yet in this build',
    });
  });
});
