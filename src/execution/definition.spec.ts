import { describe, expect, it } from '@jest/globals';
import { definitionFromJson } from './definition.js';

describe('definitionFromJson', () => {
  it('gives back the stored definition itself', () => {
    const stored = {
      nodes: [{ id: 'a', type: 'InputNode', config: {} }],
      edges: [{ from: { node_id: 'a', output: 'value' }, to: { node_id: 'b', input: 'value' } }],
    };
    expect(definitionFromJson(stored)).toBe(stored);
  });

  it.each([null, 'text', [], { nodes: [] }, { nodes: {}, edges: [] }])('refuses %j, naming the shape', (stored) => {
    expect(() => definitionFromJson(stored)).toThrow('not a workflow definition');
  });
});
