import { describe, expect, it } from '@jest/globals';
import { MAX_EDGES, MAX_NODES, validateDefinition } from './definition-validator.js';
import { delay, edge, node } from './test-definitions.js';

describe('validateDefinition: edges and graph', () => {
  describe('edges', () => {
    it('checks edge shape', () => {
      const definition = {
        nodes: [delay('a'), delay('b'), delay('c')],
        edges: [
          { from: { node_id: 'a', output: 'value' }, to: { node_id: 'b', input: 'value' }, id: 'e1' },
          { to: { node_id: 'c', input: 'value' } },
          { from: 'a.value', to: { node_id: 7, input: 'value', extra: true } },
          { from: { node_id: 'a' }, to: { node_id: 'b', input: ['value'] } },
        ],
      };
      expect(validateDefinition(definition)).toEqual([
        { field: 'definition.edges[0].id', message: 'is not allowed; allowed: from, to' },
        { field: 'definition.edges[1].from', message: 'is required' },
        { field: 'definition.edges[2].from', message: 'must be an object with node_id and output' },
        { field: 'definition.edges[2].to.extra', message: 'is not allowed; allowed: node_id, input' },
        { field: 'definition.edges[2].to.node_id', message: 'must be a string' },
        { field: 'definition.edges[3].from.output', message: 'is required' },
        { field: 'definition.edges[3].to.input', message: 'must be a string' },
      ]);
    });

    it('refuses edges from or to a missing node', () => {
      const definition = {
        nodes: [delay('a')],
        edges: [edge('ghost.value', 'a.value'), edge('a.value', 'nowhere.value')],
      };
      expect(validateDefinition(definition)).toEqual([
        { field: 'definition.edges[0].from.node_id', message: 'no node "ghost" in this definition' },
        { field: 'definition.edges[1].to.node_id', message: 'no node "nowhere" in this definition' },
      ]);
    });

    it('refuses missing connectors, naming the available ones', () => {
      const definition = {
        nodes: [
          node('in', 'InputNode'),
          node('p', 'TextTemplateNode', { template: '((a)) ((b))' }),
          node('out', 'OutputNode'),
        ],
        edges: [edge('in.text', 'p.a'), edge('in.value', 'p.c'), edge('out.value', 'p.b'), edge('p.text', 'in.value')],
      };
      expect(validateDefinition(definition)).toEqual([
        {
          field: 'definition.edges[0].from.output',
          message: 'node "in" (InputNode) has no output "text"; its outputs: value',
        },
        {
          field: 'definition.edges[1].to.input',
          message: 'node "p" (TextTemplateNode) has no input "c"; its inputs: a, b',
        },
        {
          field: 'definition.edges[2].from.output',
          message: 'node "out" (OutputNode) has no output "value"; it has no outputs',
        },
        {
          field: 'definition.edges[3].to.input',
          message: 'node "in" (InputNode) has no input "value"; it has no inputs',
        },
      ]);
    });

    it('refuses an input fed by two edges', () => {
      const definition = {
        nodes: [delay('a'), delay('b'), node('out', 'OutputNode')],
        edges: [edge('a.value', 'out.value'), edge('b.value', 'out.value'), edge('a.value', 'out.value')],
      };
      expect(validateDefinition(definition)).toEqual([
        { field: 'definition.edges[1].to.input', message: 'input "value" of node "out" is already fed by edges[0]' },
        { field: 'definition.edges[2].to.input', message: 'input "value" of node "out" is already fed by edges[0]' },
      ]);
    });

    it('lets one output feed many inputs', () => {
      const definition = {
        nodes: [delay('a'), delay('b'), delay('c')],
        edges: [edge('a.value', 'b.value'), edge('a.value', 'c.value')],
      };
      expect(validateDefinition(definition)).toEqual([]);
    });

    it('does not check connectors of a node whose config is invalid', () => {
      const definition = { nodes: [delay('a'), node('p', 'TextTemplateNode', {})], edges: [edge('a.value', 'p.x')] };
      expect(validateDefinition(definition)).toEqual([
        { field: 'definition.nodes[1].config.template', message: 'is required' },
      ]);
    });
  });

  describe('cycles', () => {
    it('names the nodes of a cycle at the edge that closes it', () => {
      const definition = {
        nodes: [delay('a'), delay('b'), delay('c'), delay('d')],
        edges: [
          edge('a.value', 'b.value'),
          edge('c.value', 'a.value'),
          edge('b.value', 'c.value'),
          edge('c.value', 'd.value'),
        ],
      };
      expect(validateDefinition(definition)).toEqual([
        { field: 'definition.edges[1]', message: 'cycle: a → b → c → a' },
      ]);
    });

    it('reports each separate cycle, including a node feeding itself', () => {
      const definition = {
        nodes: [delay('x'), delay('a'), delay('b'), node('s', 'TransformNode', { expression: '$' })],
        edges: [edge('a.value', 'b.value'), edge('b.value', 'a.value'), edge('s.result', 's.data')],
      };
      expect(validateDefinition(definition)).toEqual([
        { field: 'definition.edges[1]', message: 'cycle: a → b → a' },
        { field: 'definition.edges[2]', message: 'cycle: s → s' },
      ]);
    });

    it('names further nodes tangled in the same knot of cycles', () => {
      const definition = {
        nodes: [delay('a'), node('b', 'TextTemplateNode', { template: '((x)) ((y))' }), delay('c')],
        edges: [edge('a.value', 'b.x'), edge('b.text', 'a.value'), edge('b.text', 'c.value'), edge('c.value', 'b.y')],
      };
      expect(validateDefinition(definition)).toEqual([
        { field: 'definition.edges[1]', message: 'cycle: a → b → a (also tangled with c)' },
      ]);
    });
  });

  describe('limits', () => {
    it(`refuses more than ${MAX_NODES} nodes or ${MAX_EDGES} edges, without checking each element`, () => {
      const nodes = Array.from({ length: MAX_NODES + 1 }, () => ({}));
      const edges = Array.from({ length: MAX_EDGES + 1 }, () => ({}));
      expect(validateDefinition({ nodes, edges })).toEqual([
        { field: 'definition.nodes', message: 'has 1001 nodes; at most 1000 are allowed' },
        { field: 'definition.edges', message: 'has 5001 edges; at most 5000 are allowed' },
      ]);
    });

    it('validates a chain of the largest size quickly', () => {
      const nodes = Array.from({ length: MAX_NODES }, (_, i) => delay(`n${i}`));
      const edges = nodes.slice(1).map((_, i) => edge(`n${i}.value`, `n${i + 1}.value`));
      const started = Date.now();
      expect(validateDefinition({ nodes, edges })).toEqual([]);
      expect(Date.now() - started).toBeLessThan(1000);
      edges.push(edge(`n${MAX_NODES - 1}.value`, 'n0.value'));
      expect(validateDefinition({ nodes, edges })).toEqual([
        {
          field: `definition.edges[${MAX_NODES - 1}]`,
          message: expect.stringMatching(/^cycle: n0 → n1 → .* → n999 → n0$/),
        },
      ]);
    });
  });
});
