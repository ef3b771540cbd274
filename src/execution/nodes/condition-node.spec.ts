import { describe, expect, it } from '@jest/globals';
import { ConditionNode } from './condition-node.js';
import { testNodeContext } from './test-node-context.js';

const run = (expression: string, value: unknown) => ConditionNode.execute({ value }, testNodeContext({ expression }));

describe('ConditionNode', () => {
  it('has a required input `value` and the outputs `true` and `false`', () => {
    expect(ConditionNode.inputs({ expression: 'x' }).map((i) => [i.name, i.required])).toEqual([['value', true]]);
    expect(ConditionNode.outputs({ expression: 'x' }).map((o) => o.name)).toEqual(['true', 'false']);
  });

  it('passes the input out of the taken branch only', async () => {
    const value = { score: 0.9, name: 'a' };
    await expect(run('score > 0.5', value)).resolves.toEqual({ true: value });
    await expect(run('score > 0.95', value)).resolves.toEqual({ false: value });
  });

  it('takes the result as JavaScript truthiness', async () => {
    const branch = async (expression: string) => Object.keys(await run(expression, { n: 0, s: '', l: [] }));
    expect(await branch('n')).toEqual(['false']);
    expect(await branch('s')).toEqual(['false']);
    expect(await branch('missing')).toEqual(['false']);
    expect(await branch('null')).toEqual(['false']);
    expect(await branch('l')).toEqual(['true']);
    expect(await branch('{}')).toEqual(['true']);
    expect(await branch('"no"')).toEqual(['true']);
  });

  it('fails with a clear message when the expression fails to evaluate', async () => {
    await expect(run('$number(name) > 1', { name: 'abc' })).rejects.toMatchObject({
      name: 'NodeFailure',
      type: 'expression_error',
      message: expect.stringMatching(/^expression failed: Unable to cast value to a number: "abc"/),
    });
  });

  it('reports an expression that does not parse', () => {
    expect(ConditionNode.checkConfig({ expression: 'a >' })).toEqual([
      { path: 'expression', message: expect.stringMatching(/^invalid JSONata: .* \(at position 3\)$/) },
    ]);
    expect(ConditionNode.checkConfig({ expression: 'a > 1 and b' })).toEqual([]);
  });
});
