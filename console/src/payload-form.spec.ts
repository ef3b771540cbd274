import { describe, expect, it } from '@jest/globals';
import { payloadFields, payloadOf } from './payload-form';

const APPROVAL = {
  type: 'object',
  required: ['approved'],
  properties: {
    note: { type: 'string', description: 'why' },
    approved: { type: 'boolean' },
    score: { type: 'number' },
    count: { type: 'integer' },
    tags: { type: 'array', items: { type: 'string' } },
    extra: {},
  },
};

describe('payload form', () => {
  it('gives an input per simple top-level property, JSON for the rest, and marks the required ones', () => {
    expect(payloadFields(APPROVAL)).toEqual([
      { name: 'approved', type: 'bool', typeName: 'boolean', required: true, description: undefined },
      { name: 'note', type: 'str', typeName: 'string', required: false, description: 'why' },
      { name: 'score', type: 'float', typeName: 'number', required: false, description: undefined },
      { name: 'count', type: 'int', typeName: 'integer', required: false, description: undefined },
      { name: 'tags', type: 'any', typeName: 'array', required: false, description: undefined },
      { name: 'extra', type: 'any', typeName: 'JSON', required: false, description: undefined },
    ]);
  });

  it('takes the whole payload as JSON without a schema, or for one that is no object with properties', () => {
    expect(payloadFields(null)).toBeUndefined();
    expect(payloadFields(undefined)).toBeUndefined();
    expect(payloadFields({ type: 'object' })).toBeUndefined();
    expect(payloadFields({ type: 'array', items: {} })).toBeUndefined();
  });

  it('builds the payload from typed texts, leaving empty fields out', () => {
    const fields = payloadFields(APPROVAL)!;
    expect(payloadOf(fields, { approved: 'true', note: '', score: '0.5', count: '3', tags: '["a"]' })).toEqual({
      approved: true,
      score: 0.5,
      count: 3,
      tags: ['a'],
    });
    expect(() => payloadOf(fields, { tags: '[' })).toThrow('tags: not valid JSON');
  });
});
