import { describe, expect, it } from '@jest/globals';
import type { Definition } from '../types';
import {
  addNode,
  connect,
  connectionRefusal,
  deleteNodes,
  disconnect,
  dragRefusal,
  freshNodeId,
  moveNodes,
  replaceNode,
  type PortsOf,
} from './definition-edits';

const SEED: Definition = {
  nodes: [
    { id: 'question', type: 'InputNode', config: { label: 'User Question', type: 'str' } },
    { id: 'prompt', type: 'TextTemplateNode', config: { template: '((q))' } },
    { id: 'answer', type: 'OutputNode', config: { label: 'Answer' } },
  ],
  edges: [
    { from: { node_id: 'question', output: 'value' }, to: { node_id: 'prompt', input: 'q' } },
    { from: { node_id: 'prompt', output: 'text' }, to: { node_id: 'answer', input: 'value' } },
  ],
};

const PORTS: Record<string, { inputs: string[]; outputs: string[] }> = {
  question: { inputs: [], outputs: ['value'] },
  prompt: { inputs: ['q'], outputs: ['text'] },
  answer: { inputs: ['value'], outputs: [] },
};
const portsOf: PortsOf = (id) => PORTS[id];

/** The definition as the JSON tab shows it: key order included. */
const text = (value: unknown) => JSON.stringify(value, null, 2);

describe('definition edits', () => {
  it('adds a node with a fresh id and a rounded position', () => {
    expect(freshNodeId(SEED, 'TextTemplateNode')).toBe('text_template');
    const first = addNode(SEED, 'OutputNode', { x: 10.4, y: 20.6 });
    expect(first.id).toBe('output');
    const second = addNode(first.definition, 'OutputNode', { x: 0, y: 0 });
    expect(second.id).toBe('output_2');
    expect(second.definition.nodes.at(-1)).toEqual({
      id: 'output_2',
      type: 'OutputNode',
      config: {},
      position: { x: 0, y: 0 },
    });
    expect(first.definition.nodes.at(-1)?.position).toEqual({ x: 10, y: 21 });
    expect(SEED.nodes).toHaveLength(3);
  });

  it('deletes nodes with their edges', () => {
    const after = deleteNodes(SEED, ['prompt']);
    expect(after.nodes.map((node) => node.id)).toEqual(['question', 'answer']);
    expect(after.edges).toEqual([]);
    expect(deleteNodes(SEED, ['nobody'])).toBe(SEED);
  });

  it('moves by setting position, keeping every key in its place', () => {
    const stored = JSON.parse(
      '{"edges":[],"nodes":[{"type":"InputNode","position":{"y":5,"x":1},"id":"a","config":{}}]}',
    );
    const moved = moveNodes(stored, { a: { x: 7, y: 8 } });
    expect(text(moved)).toBe(
      text({ edges: [], nodes: [{ type: 'InputNode', position: { x: 7, y: 8 }, id: 'a', config: {} }] }),
    );
    expect(Object.keys(moveNodes(SEED, { prompt: { x: 1, y: 2 } }).nodes[1])).toEqual([
      'id',
      'type',
      'config',
      'position',
    ]);
  });

  it('connects an output to a free input', () => {
    const result = connect(
      deleteNodes(SEED, []),
      { from: { node_id: 'question', output: 'value' }, to: { node_id: 'answer', input: 'value' } },
      (id) => (id === 'answer' ? { inputs: ['value'], outputs: [] } : PORTS[id]),
    );
    expect('refused' in result ? result.refused : undefined).toMatch(/already fed by `prompt.text`/);
    const freed = disconnect(SEED, [1]);
    const connected = connect(
      freed,
      { from: { node_id: 'question', output: 'value' }, to: { node_id: 'answer', input: 'value' } },
      portsOf,
    );
    expect('definition' in connected && connected.definition.edges.at(-1)).toEqual({
      from: { node_id: 'question', output: 'value' },
      to: { node_id: 'answer', input: 'value' },
    });
  });

  it('refuses with a reason a person can act on', () => {
    const refusal = (from: string, to: string) => {
      const [fromNode, output] = from.split('.');
      const [toNode, input] = to.split('.');
      return connectionRefusal(SEED, { from: { node_id: fromNode, output }, to: { node_id: toNode, input } }, portsOf);
    };
    expect(refusal('question.value', 'answer.value')).toBe('input `value` of `answer` is already fed by `prompt.text`');
    expect(refusal('prompt.text', 'prompt.q')).toBe('`prompt` cannot feed itself');
    expect(refusal('answer.value', 'question.value')).toBe(
      '`value` of `answer` is an input: an edge goes from an output to an input',
    );
    expect(refusal('question.value', 'prompt.text')).toBe(
      '`text` of `prompt` is an output: an edge goes from an output to an input',
    );
    expect(refusal('question.nope', 'answer.value')).toBe('`question` has no output `nope`');
    expect(refusal('question.value', 'ghost.value')).toBe('there is no node `ghost`');
    const looped: Definition = {
      nodes: [...SEED.nodes, { id: 'again', type: 'TextTemplateNode', config: { template: '((t))' } }],
      edges: [...SEED.edges, { from: { node_id: 'prompt', output: 'text' }, to: { node_id: 'again', input: 't' } }],
    };
    expect(
      connectionRefusal(
        looped,
        { from: { node_id: 'again', output: 'text' }, to: { node_id: 'question', input: 'x' } },
        () => undefined,
      ),
    ).toBe('this edge would close a cycle: question → prompt → again → question');
  });

  it('says why a drag between two handles makes no edge, whichever way it was drawn', () => {
    const value = (node_id: string, side: 'output' | 'input') => ({ node_id, port: 'value', side }) as const;
    expect(
      dragRefusal(SEED, value('question', 'output'), { node_id: 'prompt', port: 'text', side: 'output' }, portsOf),
    ).toBe(
      '`question.value` and `prompt.text` are both outputs: an edge goes from an output (right side of a card) to an input (left side)',
    );
    // Drawn from the input back to the output: the same check as the other way round.
    expect(dragRefusal(SEED, value('answer', 'input'), value('question', 'output'), portsOf)).toBe(
      'input `value` of `answer` is already fed by `prompt.text`',
    );
  });

  it('replaces a node in place and carries a new id over to its edges', () => {
    const stored: Definition = JSON.parse(
      '{"edges":[{"to":{"input":"q","node_id":"prompt"},"from":{"output":"value","node_id":"question"}}],' +
        '"nodes":[{"id":"question","type":"InputNode"},{"id":"prompt","type":"TextTemplateNode","config":{"template":"((q))"}}]}',
    );
    const result = replaceNode(stored, 'prompt', {
      id: 'ask',
      type: 'TextTemplateNode',
      config: { template: '((q))!' },
    });
    if (!('definition' in result)) throw new Error(result.refused);
    expect(text(result.definition)).toBe(
      text({
        edges: [{ to: { input: 'q', node_id: 'ask' }, from: { output: 'value', node_id: 'question' } }],
        nodes: [
          { id: 'question', type: 'InputNode' },
          { id: 'ask', type: 'TextTemplateNode', config: { template: '((q))!' } },
        ],
      }),
    );
    expect(replaceNode(stored, 'prompt', { id: 'question', type: 'TextTemplateNode' })).toEqual({
      refused: 'another node already has the id `question`',
    });
  });
});
