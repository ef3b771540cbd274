import { describe, expect, it } from '@jest/globals';
import { validateDefinition } from './definition-validator.js';
import { deepFreeze, delay, edge, KNOWN_TYPES, node } from './test-definitions.js';

describe('validateDefinition', () => {
  it('accepts the seed workflow of the README', () => {
    const definition = {
      nodes: [
        node('question', 'InputNode', { label: 'User Question', type: 'str' }),
        node('context', 'InputNode', { label: 'Context', type: 'str', default: '' }),
        node('prompt', 'TextTemplateNode', { template: '((q)) — ((c))' }),
        node('answer', 'OutputNode', { label: 'Answer' }),
      ],
      edges: [
        edge('question.value', 'prompt.q'),
        edge('context.value', 'prompt.c'),
        edge('prompt.text', 'answer.value'),
      ],
    };
    expect(validateDefinition(deepFreeze(definition))).toEqual([]);
  });

  it('accepts an empty definition and nodes without config', () => {
    expect(validateDefinition({ nodes: [], edges: [] })).toEqual([]);
    expect(
      validateDefinition({
        nodes: [node('in', 'InputNode'), node('out', 'OutputNode')],
        edges: [edge('in.value', 'out.value')],
      }),
    ).toEqual([]);
  });

  describe('shape', () => {
    it.each([null, [], 'x', 3])('refuses %p as a definition', (definition) => {
      expect(validateDefinition(definition)).toEqual([
        { field: 'definition', message: 'must be an object with nodes and edges' },
      ]);
    });

    it('requires nodes and edges arrays and refuses unknown keys', () => {
      expect(validateDefinition({ nodes: {}, extra: 1 })).toEqual([
        { field: 'definition.extra', message: 'is not allowed; allowed: nodes, edges' },
        { field: 'definition.nodes', message: 'must be an array' },
        { field: 'definition.edges', message: 'is required (an array)' },
      ]);
    });

    it('refuses a node or an edge that is not an object', () => {
      expect(validateDefinition({ nodes: ['a'], edges: [null] })).toEqual([
        { field: 'definition.nodes[0]', message: 'must be an object with id, type and config' },
        { field: 'definition.edges[0]', message: 'must be an object with from and to' },
      ]);
    });
  });

  describe('nodes', () => {
    it('checks node ids: present, a string, 1-64 of [A-Za-z0-9_-], unique', () => {
      const definition = {
        nodes: [
          { type: 'DelayNode', config: { ms: 0 } },
          { id: 7, type: 'DelayNode', config: { ms: 0 } },
          delay('has space'),
          delay('x'.repeat(65)),
          delay('x'.repeat(64)),
          delay('Ok_-9'),
          delay('Ok_-9'),
          delay(''),
        ],
        edges: [],
      };
      expect(validateDefinition(definition)).toEqual([
        { field: 'definition.nodes[0].id', message: 'is required' },
        { field: 'definition.nodes[1].id', message: 'must be a string' },
        { field: 'definition.nodes[2].id', message: 'must be 1 to 64 characters among A-Z, a-z, 0-9, _ and -' },
        { field: 'definition.nodes[3].id', message: 'must be 1 to 64 characters among A-Z, a-z, 0-9, _ and -' },
        { field: 'definition.nodes[6].id', message: 'duplicate node id "Ok_-9"' },
        { field: 'definition.nodes[7].id', message: 'must be 1 to 64 characters among A-Z, a-z, 0-9, _ and -' },
      ]);
    });

    it('checks node types and unknown node keys', () => {
      const definition = {
        nodes: [{ id: 'a', config: {} }, node('b', 'LLMNode'), { ...delay('c'), layout: { x: 1 } }],
        edges: [],
      };
      expect(validateDefinition(definition)).toEqual([
        { field: 'definition.nodes[0].type', message: 'is required' },
        { field: 'definition.nodes[1].type', message: `unknown node type "LLMNode"; known types: ${KNOWN_TYPES}` },
        {
          field: 'definition.nodes[2].layout',
          message: 'is not allowed; allowed: id, type, config, retry, timeout_ms, on_error, default_outputs, position',
        },
      ]);
    });

    it('accepts a position of two numbers, and nothing else', () => {
      const definition = {
        nodes: [
          { ...delay('a'), position: { x: -12.5, y: 3e4 } },
          { ...delay('b'), position: { x: 1 } },
          { ...delay('c'), position: { x: '1', y: 2, z: 3 } },
          { ...delay('d'), position: [1, 2] },
        ],
        edges: [],
      };
      expect(validateDefinition(definition)).toEqual([
        { field: 'definition.nodes[1].position.y', message: 'is required' },
        { field: 'definition.nodes[2].position.z', message: 'is not allowed; allowed: x, y' },
        { field: 'definition.nodes[2].position.x', message: 'must be number' },
        { field: 'definition.nodes[3].position', message: 'must be object' },
      ]);
    });

    it('maps every JSON Schema error to a path under config', () => {
      const definition = {
        nodes: [
          { id: 'a', type: 'DelayNode', config: 'fast' },
          node('b', 'DelayNode', { ms: 600_001, unit: 's' }),
          node('c', 'TextTemplateNode', {}),
          node('d', 'InputNode', { type: 'string', label: '' }),
          node('e', 'HttpRequestNode', { url: 'https://x', headers: { 'X-N': 1, 'bad name': 'v' }, method: 'get' }),
          node('f', 'CodeNode', { code: 'return 1', inputs: ['a', 2], timeout_ms: 1.5 }),
        ],
        edges: [],
      };
      expect(validateDefinition(definition)).toEqual([
        { field: 'definition.nodes[0].config', message: 'must be an object' },
        { field: 'definition.nodes[1].config.unit', message: 'is not allowed; allowed: ms' },
        { field: 'definition.nodes[1].config.ms', message: 'must be <= 600000' },
        { field: 'definition.nodes[2].config.template', message: 'is required' },
        { field: 'definition.nodes[3].config.label', message: 'must NOT have fewer than 1 characters' },
        { field: 'definition.nodes[3].config.type', message: 'must be one of: str, int, float, bool, dict, list, any' },
        { field: 'definition.nodes[4].config.method', message: 'must be one of: GET, POST, PUT, PATCH, DELETE, HEAD' },
        {
          field: 'definition.nodes[4].config.headers["bad name"]',
          message: expect.stringMatching(/^is not a valid name: must match pattern/),
        },
        { field: 'definition.nodes[4].config.headers["X-N"]', message: 'must be string' },
        { field: 'definition.nodes[5].config.inputs[1]', message: 'must be string' },
        { field: 'definition.nodes[5].config.timeout_ms', message: 'must be integer' },
      ]);
    });

    it('reports semantic config problems under config, once the schema passes', () => {
      const definition = {
        nodes: [
          node('t', 'TextTemplateNode', { template: '((a)) ((b c))' }),
          node('x', 'TransformNode', { expression: 'items[' }),
          node('h', 'HttpRequestNode', { url: 'https://x', headers: { 'X-A': '((1))' } }),
          node('i', 'InputNode', { type: 'int', default: 'one' }),
        ],
        edges: [],
      };
      expect(validateDefinition(definition)).toEqual([
        {
          field: 'definition.nodes[0].config.template',
          message: expect.stringContaining('invalid placeholder ((b c))'),
        },
        { field: 'definition.nodes[1].config.expression', message: expect.stringMatching(/^invalid JSONata: /) },
        {
          field: 'definition.nodes[2].config.headers["X-A"]',
          message: expect.stringContaining('invalid placeholder ((1))'),
        },
        { field: 'definition.nodes[3].config.default', message: 'must be an integer (type int)' },
      ]);
    });
  });

  describe('labels', () => {
    it('refuses a repeated InputNode or OutputNode label, the node id standing in for a missing label', () => {
      const definition = {
        nodes: [
          node('q1', 'InputNode', { label: 'Question' }),
          node('q2', 'InputNode', { label: 'Question' }),
          node('Topic', 'InputNode'),
          node('q3', 'InputNode', { label: 'Topic' }),
          node('Answer', 'OutputNode', { label: 'Topic' }),
          node('a1', 'OutputNode', { label: 'Answer' }),
          node('Answer2', 'OutputNode'),
          node('a2', 'OutputNode', { label: 'Answer2' }),
        ],
        edges: [],
      };
      expect(validateDefinition(definition)).toEqual([
        {
          field: 'definition.nodes[1].config.label',
          message: 'duplicate InputNode label "Question": node "q1" has it too',
        },
        {
          field: 'definition.nodes[3].config.label',
          message: 'duplicate InputNode label "Topic": node "Topic" has it too',
        },
        {
          field: 'definition.nodes[7].config.label',
          message: 'duplicate OutputNode label "Answer2": node "Answer2" has it too',
        },
      ]);
    });

    it('names the id when the repeated label is a node id', () => {
      const definition = { nodes: [node('a', 'OutputNode', { label: 'b' }), node('b', 'OutputNode')], edges: [] };
      expect(validateDefinition(definition)).toEqual([
        {
          field: 'definition.nodes[1].id',
          message: 'duplicate OutputNode label "b" (its id; it has no label): node "a" has it too',
        },
      ]);
    });

    it('reports a repeated id once, not again as a repeated label', () => {
      const definition = { nodes: [node('a', 'InputNode'), node('a', 'InputNode')], edges: [] };
      expect(validateDefinition(definition)).toEqual([
        { field: 'definition.nodes[1].id', message: 'duplicate node id "a"' },
      ]);
    });
  });

  it('lists every problem of a definition in one answer', () => {
    const definition = {
      nodes: [
        node('in', 'InputNode', { label: 'Q' }),
        node('in2', 'InputNode', { label: 'Q' }),
        node('bad id!', 'DelayNode', { ms: -1 }),
        node('p', 'TextTemplateNode', { template: '((q))' }),
        node('p', 'OutputNode'),
        node('m', 'MagicNode'),
        node('c', 'ConditionNode', { expression: 'value >' }),
        delay('d1'),
        delay('d2'),
      ],
      edges: [
        edge('in.value', 'p.q'),
        edge('in2.value', 'p.q'),
        edge('p.text', 'ghost.value'),
        edge('in.value', 'p.nope'),
        edge('d1.value', 'd2.value'),
        edge('d2.value', 'd1.value'),
      ],
    };
    expect(validateDefinition(definition)).toEqual([
      { field: 'definition.nodes[2].id', message: 'must be 1 to 64 characters among A-Z, a-z, 0-9, _ and -' },
      { field: 'definition.nodes[2].config.ms', message: 'must be >= 0' },
      { field: 'definition.nodes[4].id', message: 'duplicate node id "p"' },
      { field: 'definition.nodes[5].type', message: `unknown node type "MagicNode"; known types: ${KNOWN_TYPES}` },
      { field: 'definition.nodes[6].config.expression', message: expect.stringMatching(/^invalid JSONata: /) },
      { field: 'definition.nodes[1].config.label', message: 'duplicate InputNode label "Q": node "in" has it too' },
      { field: 'definition.edges[1].to.input', message: 'input "q" of node "p" is already fed by edges[0]' },
      { field: 'definition.edges[2].to.node_id', message: 'no node "ghost" in this definition' },
      {
        field: 'definition.edges[3].to.input',
        message: 'node "p" (TextTemplateNode) has no input "nope"; its inputs: q',
      },
      { field: 'definition.edges[5]', message: 'cycle: d1 → d2 → d1' },
    ]);
  });
});
