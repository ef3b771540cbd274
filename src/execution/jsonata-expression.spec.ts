import { afterAll, describe, expect, it } from '@jest/globals';
import { fallbackSandbox } from './node-services.js';
import { checkExpression, evaluateExpression } from './jsonata-expression.js';

const ctx = { signal: new AbortController().signal, groupId: 'g' };
afterAll(() => fallbackSandbox().close());

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
    const result = await evaluateExpression('items.name', { items: [{ name: 'a' }, { name: 'b' }] }, ctx);
    expect(result).toEqual(['a', 'b']);
    expect(Object.keys(result as object)).toEqual(['0', '1']);
  });

  it('returns undefined when nothing matches', async () => {
    await expect(evaluateExpression('missing', { a: 1 }, ctx)).resolves.toBeUndefined();
  });

  it('turns an evaluation error into a NodeFailure', async () => {
    await expect(evaluateExpression('a + 1', { a: 'x' }, ctx)).rejects.toMatchObject({
      name: 'NodeFailure',
      type: 'expression_error',
      message: expect.stringMatching(/^expression failed: .*must evaluate to a number.* \(at position \d+\)$/),
    });
  });

  it('refuses a function as a result', async () => {
    await expect(evaluateExpression('function($x) { $x }', null, ctx)).rejects.toMatchObject({
      type: 'expression_error',
      message: 'expression evaluated to a function, not a value',
    });
    await expect(evaluateExpression('$sum', null, ctx)).rejects.toMatchObject({
      message: 'expression evaluated to a function, not a value',
    });
  });

  it('interrupts a catastrophic regex at its time limit without blocking the event loop', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const started = performance.now();
    try {
      await expect(evaluateExpression('$match($, /^(a+)+$/)', `${'a'.repeat(40)}!`, ctx, 300)).rejects.toMatchObject({
        type: 'expression_timeout',
      });
    } finally {
      clearInterval(ticker);
    }
    expect(performance.now() - started).toBeLessThan(3000);
    expect(ticks).toBeGreaterThan(10);
  });

  it('fails a result larger than the value limit with value_too_large, size and limit in the message', async () => {
    const services = { limits: { maxValueBytes: 1000, maxTimeoutMs: 30_000 } };
    await expect(evaluateExpression('$pad("", 5000, "x")', null, { ...ctx, services })).rejects.toMatchObject({
      type: 'value_too_large',
      message: expect.stringMatching(/5002 bytes.*1000 bytes/),
    });
  });

  it('caps the time limit at the server maximum', async () => {
    const services = { limits: { maxValueBytes: 1000, maxTimeoutMs: 100 } };
    const started = performance.now();
    await expect(
      evaluateExpression('$match($, /^(a+)+$/)', `${'a'.repeat(40)}!`, { ...ctx, services }, 30_000),
    ).rejects.toMatchObject({ type: 'expression_timeout' });
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
