import { describe, expect, it } from '@jest/globals';
import { checkExpression, evaluateExpression } from './jsonata-expression.js';

describe('checkExpression', () => {
  it('accepts an expression that parses', () => {
    expect(checkExpression('items[price > 10].name')).toEqual([]);
  });

  it('reports a syntax error with its position at the given path', () => {
    expect(checkExpression('a.(', 'expression')).toEqual([
      { path: 'expression', message: 'invalid JSONata: Expected ")" before end of expression (at position 3)' },
    ]);
  });
});

describe('evaluateExpression', () => {
  it('returns plain JSON: sequences become ordinary arrays', async () => {
    const result = await evaluateExpression('items.name', { items: [{ name: 'a' }, { name: 'b' }] });
    expect(result).toEqual(['a', 'b']);
    expect(Object.keys(result as object)).toEqual(['0', '1']);
  });

  it('returns undefined when nothing matches', async () => {
    await expect(evaluateExpression('missing', { a: 1 })).resolves.toBeUndefined();
  });

  it('turns an evaluation error into a NodeFailure', async () => {
    await expect(evaluateExpression('a + 1', { a: 'x' })).rejects.toMatchObject({
      name: 'NodeFailure',
      type: 'expression_error',
      message: expect.stringMatching(/^expression failed: .*must evaluate to a number.* \(at position \d+\)$/),
    });
  });

  it('refuses a function as a result', async () => {
    await expect(evaluateExpression('function($x) { $x }', null)).rejects.toMatchObject({
      type: 'expression_error',
      message: 'expression evaluated to a function, not a value',
    });
    await expect(evaluateExpression('$sum', null)).rejects.toMatchObject({
      message: 'expression evaluated to a function, not a value',
    });
  });
});
