import { describe, expect, it } from '@jest/globals';
import { inputTypeMismatch, matchesInputType } from '../input-value-type.js';
import { InputNode } from './input-node.js';
import { testNodeContext } from './test-node-context.js';

describe('InputNode', () => {
  it('has no inputs and one output `value`', () => {
    expect(InputNode.inputs({})).toEqual([]);
    expect(InputNode.outputs({}).map((o) => o.name)).toEqual(['value']);
  });

  it('outputs the run input the engine resolved for it', async () => {
    const ctx = testNodeContext({ label: 'Question' }, { runInput: 'why?' });
    expect(InputNode.execute({}, ctx)).toEqual({ value: 'why?' });
  });

  it('accepts a default that matches the type (str when no type is given)', () => {
    expect(InputNode.checkConfig({ default: '' })).toEqual([]);
    expect(InputNode.checkConfig({ type: 'int', default: 3 })).toEqual([]);
    expect(InputNode.checkConfig({ type: 'list', default: [] })).toEqual([]);
    expect(InputNode.checkConfig({ type: 'any', default: null })).toEqual([]);
    expect(InputNode.checkConfig({ type: 'int' })).toEqual([]);
  });

  it('reports a default that does not match the type', () => {
    expect(InputNode.checkConfig({ default: 5 })).toEqual([
      { path: 'default', message: 'must be a string (type str)' },
    ]);
    expect(InputNode.checkConfig({ type: 'int', default: 2.5 })).toEqual([
      { path: 'default', message: 'must be an integer (type int)' },
    ]);
  });
});

describe('matchesInputType', () => {
  const cases: [Parameters<typeof matchesInputType>[0], unknown, boolean][] = [
    ['str', 'x', true],
    ['str', 1, false],
    ['int', 3, true],
    ['int', 3.5, false],
    ['int', '3', false],
    ['float', 3, true],
    ['float', 3.5, true],
    ['float', '3.5', false],
    ['bool', false, true],
    ['bool', 0, false],
    ['dict', { a: 1 }, true],
    ['dict', [], false],
    ['dict', null, false],
    ['list', [1], true],
    ['list', { 0: 1 }, false],
    ['any', null, true],
    ['any', undefined, false],
  ];
  it.each(cases)('%s accepts %p: %s', (type, value, expected) => {
    expect(matchesInputType(type, value)).toBe(expected);
  });

  it('words mismatches for users', () => {
    expect(inputTypeMismatch('dict')).toBe('must be a JSON object (type dict)');
  });
});
