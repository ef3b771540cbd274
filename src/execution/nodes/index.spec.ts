import { describe, expect, it } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { nodeLabel } from '../definition.js';
import { builtInNodeTypes, NodeRegistry } from './index.js';
import { InputNode } from './input-node.js';

describe('builtInNodeTypes', () => {
  it('registers the built-in types in catalog order', () => {
    expect(builtInNodeTypes.typeNames()).toEqual([
      'InputNode',
      'OutputNode',
      'TextTemplateNode',
      'DelayNode',
      'ConditionNode',
      'TransformNode',
      'FailNode',
      'HttpRequestNode',
      'TextGenerationNode',
      'CodeNode',
      'WorkflowNode',
      'MapNode',
      'WaitNode',
      'SignalNode',
    ]);
    expect(builtInNodeTypes.get('Nope')).toBeUndefined();
  });

  it('describes each type with a strict, documented config schema', () => {
    const ajv = new Ajv2020({ strict: true });
    for (const entry of builtInNodeTypes.describeAll()) {
      expect(entry.description.length).toBeGreaterThan(10);
      expect(entry.config_schema).toMatchObject({ type: 'object', additionalProperties: false });
      const properties = entry.config_schema.properties as Record<string, { description?: string }>;
      for (const [name, property] of Object.entries(properties)) {
        expect([entry.type, name, typeof property.description]).toEqual([entry.type, name, 'string']);
      }
      expect(() => ajv.compile(entry.config_schema)).not.toThrow();
    }
  });

  it('gives examples whose config is valid and whose inputs feed every input connector', () => {
    const ajv = new Ajv2020({ strict: true });
    const withExamples = builtInNodeTypes.describeAll().filter((entry) => entry.example);
    expect(withExamples.map((entry) => entry.type)).toEqual(expect.arrayContaining(['TextGenerationNode', 'CodeNode']));
    for (const { type, config_schema, example } of withExamples) {
      const nodeType = builtInNodeTypes.get(type)!;
      expect([type, ajv.validate(config_schema, example!.config)]).toEqual([type, true]);
      expect(nodeType.checkConfig(example!.config)).toEqual([]);
      expect(Object.keys(example!.inputs).sort()).toEqual(
        nodeType
          .inputs(example!.config)
          .map((i) => i.name)
          .sort(),
      );
      expect(Object.keys(example!.outputs)).toEqual(nodeType.outputs(example!.config).map((o) => o.name));
    }
  });

  it('shows static connectors, and says how dynamic ones follow from config', () => {
    const [input, output, template] = builtInNodeTypes.describeAll();
    expect(input).toMatchObject({ inputs: [], outputs: [{ name: 'value' }] });
    expect(input.connectors_from_config).toBeUndefined();
    expect(output).toMatchObject({ inputs: [{ name: 'value', required: true }], outputs: [] });
    expect(template).toMatchObject({
      inputs: [],
      outputs: [{ name: 'text' }],
      connectors_from_config: 'one required input per ((placeholder)) in template',
    });
  });
});

describe('NodeRegistry', () => {
  it('refuses to register a type twice', () => {
    const registry = new NodeRegistry().register(InputNode);
    expect(() => registry.register(InputNode)).toThrow('node type InputNode is already registered');
  });
});

describe('nodeLabel', () => {
  it('is config.label, else the node id', () => {
    expect(nodeLabel({ id: 'q', type: 'InputNode', config: { label: 'Question' } })).toBe('Question');
    expect(nodeLabel({ id: 'q', type: 'InputNode' })).toBe('q');
  });
});
