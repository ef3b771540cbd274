import { describe, expect, it } from '@jest/globals';
import { placeProblems, problemsOfNode } from './definition-problems';

const sent = {
  nodes: [{ id: 'in' }, { id: 'prompt' }, { id: 'out' }],
  edges: [{ from: { node_id: 'in', output: 'value' }, to: { node_id: 'prompt', input: 'nope' } }],
};

describe('placeProblems', () => {
  it('puts node and edge errors on their nodes and keeps the rest apart', () => {
    const placed = placeProblems(sent, [
      { field: 'definition.nodes[1].config.template', message: 'must be string' },
      { field: 'definition.edges[0].to.input', message: 'node "prompt" has no input "nope"' },
      { field: 'definition.edges[0].from.output', message: 'node "in" has no output "x"' },
      { field: 'definition.edges', message: 'cycle: a → b → a' },
      { field: 'definition.nodes[9].id', message: 'out of range' },
    ]);
    expect(placed.byNode).toEqual({
      prompt: ['config.template: must be string', 'edges[0].to.input: node "prompt" has no input "nope"'],
      in: ['edges[0].from.output: node "in" has no output "x"'],
    });
    expect(placed.general.map((error) => error.field)).toEqual(['definition.edges', 'definition.nodes[9].id']);
  });
});

describe('problemsOfNode', () => {
  it('keeps the errors about one node, with paths relative to it', () => {
    const errors = [
      { field: 'definition.nodes[1].config.template', message: 'must be string' },
      { field: 'definition.nodes[1].retry.max_attempts', message: 'must be >= 1' },
      { field: 'definition.nodes[0].id', message: 'duplicate node id "in"' },
      { field: 'definition.edges[0].to.input', message: 'node "prompt" has no input "nope"' },
    ];
    expect(problemsOfNode(sent, errors, 'prompt')).toEqual([
      { field: 'config.template', message: 'must be string' },
      { field: 'retry.max_attempts', message: 'must be >= 1' },
    ]);
    expect(problemsOfNode(sent, errors, 'in')).toEqual([{ field: 'id', message: 'duplicate node id "in"' }]);
  });
});
