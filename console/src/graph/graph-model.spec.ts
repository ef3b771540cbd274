import { describe, expect, it } from '@jest/globals';
import type { Definition } from '../types';
import type { NodeCatalog } from './catalog';
import { cardHeight, layoutDefinition } from './layout';
import { portsOf } from './ports';
import { summarise, titleOf } from './summary';

const CATALOG: NodeCatalog = {
  node_policy_schema: {},
  items: [
    { type: 'InputNode', description: '', config_schema: {}, inputs: [], outputs: [{ name: 'value' }] },
    {
      type: 'TextTemplateNode',
      description: '',
      config_schema: {},
      inputs: [],
      outputs: [{ name: 'text' }],
      connectors_from_config: 'one input per ((placeholder))',
    },
    {
      type: 'OutputNode',
      description: '',
      config_schema: {},
      inputs: [{ name: 'value', required: true }],
      outputs: [],
    },
  ],
};

const DEFINITION: Definition = {
  nodes: [
    { id: 'question', type: 'InputNode', config: { label: 'User Question', type: 'str' } },
    { id: 'prompt', type: 'TextTemplateNode', config: { template: 'Answer ((q))\nplainly' } },
    { id: 'answer', type: 'OutputNode', config: { label: 'Answer' } },
  ],
  edges: [
    { from: { node_id: 'question', output: 'value' }, to: { node_id: 'prompt', input: 'q' } },
    { from: { node_id: 'prompt', output: 'text' }, to: { node_id: 'answer', input: 'value' } },
  ],
};

describe('portsOf', () => {
  it("takes a type's static connectors and adds the ports edges name", () => {
    const ports = portsOf(DEFINITION, CATALOG);
    expect(ports.get('question')).toEqual({ inputs: [], outputs: [{ name: 'value' }] });
    expect(ports.get('prompt')).toEqual({ inputs: [{ name: 'q', required: false }], outputs: [{ name: 'text' }] });
    expect(ports.get('answer')).toEqual({ inputs: [{ name: 'value', required: true }], outputs: [] });
  });

  it("prefers the connectors the server computed for a node's config", () => {
    const connectors = {
      prompt: {
        inputs: [
          { name: 'q', required: true },
          { name: 'tone', required: true },
        ],
        outputs: [{ name: 'text' }],
      },
    };
    expect(
      portsOf(DEFINITION, CATALOG, connectors)
        .get('prompt')
        ?.inputs.map((port) => port.name),
    ).toEqual(['q', 'tone']);
  });

  it('draws the ports edges name even before the catalog is read', () => {
    expect(portsOf(DEFINITION).get('prompt')).toEqual({
      inputs: [{ name: 'q', required: false }],
      outputs: [{ name: 'text' }],
    });
  });
});

describe('summarise and titleOf', () => {
  it('titles Input and OutputNodes by label, others by id', () => {
    expect(DEFINITION.nodes.map(titleOf)).toEqual(['User Question', 'prompt', 'Answer']);
  });

  it('sums a node up in one line', () => {
    expect(DEFINITION.nodes.map(summarise)).toEqual(['input · str', 'Answer ((q))', 'output']);
    expect(summarise({ id: 'h', type: 'HttpRequestNode', config: { method: 'POST', url: 'http://127.0.0.1/x' } })).toBe(
      'POST http://127.0.0.1/x',
    );
    expect(summarise({ id: 's', type: 'SignalNode', config: { name: 'approval', timeout_ms: 1000 } })).toBe(
      'signal “approval”, timeout 1000 ms',
    );
    expect(summarise({ id: 'c', type: 'CodeNode', config: { inputs: ['a'], code: '\nreturn a + 1;' } })).toBe(
      'return a + 1;',
    );
  });
});

describe('layoutDefinition', () => {
  const ports = portsOf(DEFINITION, CATALOG);

  it('lays nodes out left to right by layer', () => {
    const positions = layoutDefinition(DEFINITION, ports);
    const [question, prompt, answer] = DEFINITION.nodes.map((node) => positions.get(node.id)!.x);
    expect(question).toBeLessThan(prompt);
    expect(prompt).toBeLessThan(answer);
  });

  it('keeps stored positions and places the other nodes below them', () => {
    const placed: Definition = {
      ...DEFINITION,
      nodes: DEFINITION.nodes.map((node, index) => (index === 0 ? { ...node, position: { x: 500, y: 40 } } : node)),
    };
    const positions = layoutDefinition(placed, ports);
    expect(positions.get('question')).toEqual({ x: 500, y: 40 });
    const below = 40 + cardHeight(ports.get('question'));
    expect(positions.get('prompt')!.y).toBeGreaterThan(below);
    expect(positions.get('answer')!.y).toBeGreaterThan(below);
  });
});
