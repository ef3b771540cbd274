import { describe, expect, it } from '@jest/globals';
import { testNodeContext } from './test-node-context.js';
import { TransformNode } from './transform-node.js';

const run = (expression: string, data: unknown) => TransformNode.execute({ data }, testNodeContext({ expression }));

describe('TransformNode', () => {
  it('has a required input `data` and the output `result`', () => {
    expect(TransformNode.inputs({ expression: '$' }).map((i) => [i.name, i.required])).toEqual([['data', true]]);
    expect(TransformNode.outputs({ expression: '$' }).map((o) => o.name)).toEqual(['result']);
  });

  it('evaluates the expression on `data`', async () => {
    const data = {
      items: [
        { name: 'a', price: 5 },
        { name: 'b', price: 20 },
        { name: 'c', price: 30 },
      ],
    };
    await expect(run('items[price > 10].name', data)).resolves.toEqual({ result: ['b', 'c'] });
    await expect(run('{"total": $sum(items.price)}', data)).resolves.toEqual({ result: { total: 55 } });
  });

  it('outputs null when nothing matches', async () => {
    await expect(run('nothing.here', { a: 1 })).resolves.toEqual({ result: null });
  });

  it('fails with a NodeFailure when evaluation fails', async () => {
    await expect(run('$error("bad data")', {})).rejects.toMatchObject({
      name: 'NodeFailure',
      type: 'expression_error',
      message: 'expression failed: bad data (at position 7)',
    });
  });

  it('reports an expression that does not parse', () => {
    expect(TransformNode.checkConfig({ expression: 'items[' })).toHaveLength(1);
    expect(TransformNode.checkConfig({ expression: 'items[0]' })).toEqual([]);
  });
});
