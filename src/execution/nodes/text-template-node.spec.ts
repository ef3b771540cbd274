import { describe, expect, it } from '@jest/globals';
import { testNodeContext } from './test-node-context.js';
import { TextTemplateNode } from './text-template-node.js';

describe('TextTemplateNode', () => {
  const config = { template: '((q)) — (( c )) ((q))' };

  it('has one required input per distinct placeholder and the output `text`', () => {
    expect(TextTemplateNode.inputs(config).map((i) => [i.name, i.required])).toEqual([
      ['q', true],
      ['c', true],
    ]);
    expect(TextTemplateNode.outputs(config).map((o) => o.name)).toEqual(['text']);
    expect(TextTemplateNode.inputs({ template: 'no placeholders' })).toEqual([]);
  });

  it('renders strings as they are and other values as JSON, at once when the fill is small', () => {
    const ctx = testNodeContext(config);
    expect(TextTemplateNode.execute({ q: 'why?', c: { n: 1 } }, ctx)).toEqual({
      text: 'why? — {"n":1} why?',
    });
  });

  it('fails when a placeholder input is missing', () => {
    expect(() => TextTemplateNode.execute({ q: 'x' }, testNodeContext(config))).toThrow(
      expect.objectContaining({
        name: 'NodeFailure',
        type: 'input_missing',
        message: 'input "c" has no value for ((c))',
      }),
    );
  });

  it('reports malformed placeholders under `template`', () => {
    expect(TextTemplateNode.checkConfig({ template: 'ok ((a-b))' })).toEqual([
      {
        path: 'template',
        message: 'invalid placeholder ((a-b)): a placeholder name is a letter or _ followed by letters, digits or _',
      },
    ]);
    expect(TextTemplateNode.checkConfig(config)).toEqual([]);
  });
});
