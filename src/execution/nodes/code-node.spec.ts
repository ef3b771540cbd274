import { describe, expect, it } from '@jest/globals';
import { CodeNode } from './code-node.js';
import { testNodeContext } from './test-node-context.js';

describe('CodeNode', () => {
  it('has one required input per name in `inputs` and the output `result`', () => {
    expect(CodeNode.inputs({ code: 'return a + b', inputs: ['a', 'b'] })).toEqual([
      { name: 'a', required: true },
      { name: 'b', required: true },
    ]);
    expect(CodeNode.inputs({ code: 'return 1' })).toEqual([]);
    expect(CodeNode.outputs({ code: 'return 1' }).map((o) => o.name)).toEqual(['result']);
  });

  it('accepts unique identifier names', () => {
    expect(CodeNode.checkConfig({ code: 'x', inputs: ['a', '_b', 'c9', 'ok'] })).toEqual([]);
  });

  it('reports names that are not identifiers, reserved words and repeats, by index', () => {
    expect(CodeNode.checkConfig({ code: 'x', inputs: ['a', 'a', '9a', 'my-name', 'return', ''] })).toEqual([
      { path: 'inputs[1]', message: 'duplicate input name "a"' },
      { path: 'inputs[2]', message: 'must be a letter or _ followed by letters, digits or _' },
      { path: 'inputs[3]', message: 'must be a letter or _ followed by letters, digits or _' },
      { path: 'inputs[4]', message: '"return" is reserved in JavaScript' },
      { path: 'inputs[5]', message: 'must be a letter or _ followed by letters, digits or _' },
    ]);
  });

  it('fails clearly as not implemented yet', async () => {
    await expect(CodeNode.execute({}, testNodeContext({ code: 'return 1' }))).rejects.toMatchObject({
      name: 'NodeFailure',
      type: 'not_implemented',
      message: 'CodeNode cannot run yet in this build',
    });
  });
});
