import { describe, expect, it } from '@jest/globals';
import { ApiError } from '../api';
import { connectorErrors, connectorFields, lastInputTexts } from './node-inputs';

describe('the form of "Run this node"', () => {
  it('has a JSON field per input connector the API names, with what it says of each', () => {
    const fields = connectorFields([
      { name: 'question', required: true, description: 'asked' },
      { name: 'extra', required: false },
    ]);
    expect(fields).toEqual([
      { name: 'question', type: 'any', typeName: 'JSON', required: true, description: 'asked' },
      { name: 'extra', type: 'any', typeName: 'JSON', required: false, description: undefined },
    ]);
  });

  it('starts from the values the node received in the last run', () => {
    const fields = connectorFields([
      { name: 'question', required: true },
      { name: 'extra', required: false },
    ]);
    expect(lastInputTexts(fields, { question: 'What is a DAG?', other: 1 })).toEqual({ question: '"What is a DAG?"' });
    expect(lastInputTexts(fields, undefined)).toEqual({});
  });

  it("puts the API's input.<connector> errors next to their field", () => {
    const refusal = new ApiError({
      status: 422,
      errors: [
        { field: 'input.question', message: 'is required' },
        { field: 'single_node_id', message: 'unknown node id "x"' },
      ],
    });
    expect(connectorErrors(refusal)).toEqual({ question: 'is required' });
    expect(connectorErrors(new Error('offline'))).toEqual({});
  });
});
