import { describe, expect, it } from '@jest/globals';
import type { Definition } from '../types';
import { describeFieldChange, diffDefinitions, isEmptyDiff, summariseDiff, unionOfDiff } from './definition-diff';

const edge = (from: string, to: string) => {
  const [fromNode, output] = from.split('.');
  const [toNode, input] = to.split('.');
  return { from: { node_id: fromNode, output }, to: { node_id: toNode, input } };
};

const before: Definition = {
  nodes: [
    { id: 'question', type: 'InputNode', config: { label: 'Question', type: 'str' } },
    { id: 'prompt', type: 'TextTemplateNode', config: { template: 'a ((q))' } },
    { id: 'old', type: 'OutputNode', config: { label: 'old' } },
  ],
  edges: [edge('question.value', 'prompt.q'), edge('prompt.text', 'old.value')],
};

describe('diffDefinitions', () => {
  it('finds added, removed and changed nodes and edges', () => {
    const after: Definition = {
      nodes: [
        { id: 'question', type: 'InputNode', config: { label: 'Question', type: 'str' } },
        { id: 'prompt', type: 'TextTemplateNode', config: { template: 'b ((q))' }, retry: { max_attempts: 3 } },
        { id: 'answer', type: 'OutputNode', config: { label: 'answer' } },
      ],
      edges: [edge('question.value', 'prompt.q'), edge('prompt.text', 'answer.value')],
    };
    const diff = diffDefinitions(before, after);
    expect(diff.nodes.added.map((node) => node.id)).toEqual(['answer']);
    expect(diff.nodes.removed.map((node) => node.id)).toEqual(['old']);
    expect(diff.nodes.changed).toEqual([
      {
        id: 'prompt',
        moved: false,
        fields: [
          { path: 'config.template', before: 'a ((q))', after: 'b ((q))' },
          { path: 'retry', before: undefined, after: { max_attempts: 3 } },
        ],
      },
    ]);
    expect(diff.nodes.changed[0].fields.map(describeFieldChange)).toEqual([
      'config.template: "a ((q))" → "b ((q))"',
      'retry: (none) → {"max_attempts":3}',
    ]);
    expect(diff.edges).toEqual({
      added: [edge('prompt.text', 'answer.value')],
      removed: [edge('prompt.text', 'old.value')],
    });
  });

  it('reports a node whose position alone changed as moved, not changed; a changed node that moved says so', () => {
    const placed = (definition: Definition, x: number) => ({
      ...definition,
      nodes: definition.nodes.map((node) => ({ ...node, position: { x, y: 0 } })),
    });
    const after = placed(before, 100);
    after.nodes[1] = { ...after.nodes[1], type: 'TextGenerationNode' };
    const diff = diffDefinitions(placed(before, 0), after);
    expect(diff.nodes.moved).toEqual(['question', 'old']);
    expect(diff.nodes.changed).toEqual([
      {
        id: 'prompt',
        moved: true,
        fields: [{ path: 'type', before: 'TextTemplateNode', after: 'TextGenerationNode' }],
      },
    ]);
  });

  it('sees no change in the same definition with its keys in another order, or in its edges reordered', () => {
    const reordered: Definition = {
      edges: [...before.edges]
        .reverse()
        .map((e) => ({ to: e.to, from: { output: e.from.output, node_id: e.from.node_id } })),
      nodes: before.nodes.map((node) => ({ config: { ...node.config }, type: node.type, id: node.id })),
    };
    const diff = diffDefinitions(before, reordered);
    expect(isEmptyDiff(diff)).toBe(true);
  });

  it('compares arrays as whole values and names nested object paths', () => {
    const withSchema = (required: string[], title: string): Definition => ({
      nodes: [{ id: 's', type: 'SignalNode', config: { schema: { title, required } } }],
      edges: [],
    });
    const diff = diffDefinitions(withSchema(['a'], 'x'), withSchema(['a', 'b'], 'x'));
    expect(diff.nodes.changed[0].fields).toEqual([
      { path: 'config.schema.required', before: ['a'], after: ['a', 'b'] },
    ]);
    expect(diffDefinitions(withSchema(['a'], 'x'), withSchema(['a'], 'y')).nodes.changed[0].fields).toEqual([
      { path: 'config.schema.title', before: 'x', after: 'y' },
    ]);
  });
});

describe('unionOfDiff', () => {
  it('draws what both sides have, removed nodes and edges included, each node marked by how it differs', () => {
    const after: Definition = {
      nodes: [before.nodes[0], { ...before.nodes[1], config: { template: 'c' } }, { id: 'new', type: 'OutputNode' }],
      edges: [edge('question.value', 'prompt.q'), edge('prompt.text', 'new.value')],
    };
    const { definition, kinds } = unionOfDiff(before, after, diffDefinitions(before, after));
    expect(definition.nodes.map((node) => node.id)).toEqual(['question', 'prompt', 'new', 'old']);
    expect(definition.edges).toEqual([...after.edges, edge('prompt.text', 'old.value')]);
    expect(kinds).toEqual({ prompt: 'changed', new: 'added', old: 'removed' });
  });
});

describe('summariseDiff', () => {
  it('counts what differs in one sentence, and says when nothing does', () => {
    const after: Definition = {
      nodes: [
        before.nodes[0],
        { ...before.nodes[1], config: { template: 'c' } },
        { id: 'x', type: 'OutputNode' },
        { id: 'y', type: 'OutputNode' },
      ],
      edges: [before.edges[0]],
    };
    expect(summariseDiff(diffDefinitions(before, after))).toBe('2 nodes added, 1 removed, 1 changed; 1 edge removed.');
    expect(summariseDiff(diffDefinitions(before, before))).toBe('No differences.');
  });
});
