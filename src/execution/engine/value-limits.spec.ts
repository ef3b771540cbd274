import { afterAll, describe, expect, it } from '@jest/globals';
import { fallbackSandbox } from '../node-services.js';
import { builtInNodeTypes } from '../nodes/index.js';
import { runWorkflow, statuses } from './testing/run-workflow.js';
import { workflow } from './testing/step-node.js';
import { defineNodeType } from '../nodes/define-node-type.js';
import type { NodeTypeLookup } from './run-plan.js';

afterAll(() => fallbackSandbox().close());

const limitTo = (maxValueBytes: number) => ({
  options: { services: { limits: { maxValueBytes, maxTimeoutMs: 30_000 } } },
});

/** Each TextTemplateNode doubles the text: the chain stops at the first fill past the limit. */
const doubling = (length: number) => {
  const nodes: Record<string, { type: string; config: Record<string, unknown> }> = {
    seed: { type: 'InputNode', config: { label: 'seed', type: 'str' } },
  };
  const edges: string[] = [];
  let previous = 'seed.value';
  for (let index = 1; index <= length; index++) {
    nodes[`t${index}`] = { type: 'TextTemplateNode', config: { template: '((a))((b))' } };
    edges.push(`${previous} -> t${index}.a`, `${previous} -> t${index}.b`);
    previous = `t${index}.text`;
  }
  nodes.out = { type: 'OutputNode', config: { label: 'out' } };
  edges.push(`${previous} -> out.value`);
  return workflow(nodes, edges);
};

describe('MAX_VALUE_BYTES', () => {
  it('stops a doubling template chain at the first node whose values pass the limit', async () => {
    const result = await runWorkflow(doubling(27), builtInNodeTypes, {
      input: { seed: 'x'.repeat(1024) },
      ...limitTo(1024 * 1024 + 100),
    });
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ node_id: 't11', type: 'value_too_large' });
    expect(result.error!.message).toBe(
      "the node's input is 2097156 bytes of JSON, more than the limit of 1048676 bytes (MAX_VALUE_BYTES)",
    );
    expect(statuses(result).t10).toBe('completed');
  });

  it('refuses a fill that would pass the limit before building its text', async () => {
    const definition = workflow(
      {
        seed: { type: 'InputNode', config: { label: 'seed', type: 'str' } },
        many: { type: 'TextTemplateNode', config: { template: '((a))'.repeat(1000) } },
      },
      ['seed.value -> many.a'],
    );
    const result = await runWorkflow(definition, builtInNodeTypes, { input: { seed: 'v'.repeat(1_000_000) } });
    expect(result.error).toMatchObject({ node_id: 'many', type: 'value_too_large' });
    expect(result.error!.message).toMatch(/at least 1000000000 bytes, more than the limit of 10485760 bytes/);
  });

  it('fills large templates (in a sandbox worker) when they fit', async () => {
    const result = await runWorkflow(doubling(8), builtInNodeTypes, { input: { seed: 'y'.repeat(1024) } });
    expect(result.status).toBe('completed');
    expect((result.output.out as string).length).toBe(256 * 1024);
  });

  it('fails a run input larger than the limit at its InputNode', async () => {
    const result = await runWorkflow(doubling(1), builtInNodeTypes, {
      input: { seed: 'z'.repeat(5000) },
      ...limitTo(4096),
    });
    expect(result.error).toMatchObject({ node_id: 'seed', type: 'value_too_large' });
    expect(result.error!.message).toMatch(/the node's output is 5002 bytes of JSON, more than the limit of 4096/);
  });

  it('fails the OutputNode that takes the run output past the limit', async () => {
    const definition = workflow(
      {
        seed: { type: 'InputNode', config: { label: 'seed', type: 'str' } },
        one: { type: 'OutputNode', config: { label: 'one' } },
        two: { type: 'OutputNode', config: { label: 'two' } },
      },
      ['seed.value -> one.value', 'seed.value -> two.value'],
    );
    const result = await runWorkflow(definition, builtInNodeTypes, {
      input: { seed: 'w'.repeat(3000) },
      ...limitTo(4096),
    });
    expect(result.error).toMatchObject({ type: 'value_too_large', message: expect.stringContaining('the run output') });
  });
});

/** Outputs a value nested `depth` arrays deep, as an HTTP response or code result can be. */
let executions = 0;
const Deep = defineNodeType<{ depth: number }>({
  type: 'Deep',
  description: 'test',
  configSchema: { type: 'object', properties: { depth: { type: 'integer' } } },
  catalogConfig: { depth: 1 },
  inputs: () => [],
  outputs: () => [{ name: 'value' }],
  checkConfig: () => [],
  async execute(_, ctx) {
    executions++;
    let value: unknown = [`the bottom, with ${ctx.secrets?.TOKEN}${ctx.config.depth === 2 ? '\u0000' : ''}`];
    for (let level = 1; level < ctx.config.depth; level++) value = [value];
    return { value };
  },
});
const withDeep: NodeTypeLookup = { get: (type) => (type === 'Deep' ? Deep : builtInNodeTypes.get(type)) };
const deepWorkflow = (depth: number) =>
  workflow({ deep: { type: 'Deep', config: { depth } }, out: { type: 'OutputNode', config: { label: 'out' } } }, [
    'deep.value -> out.value',
  ]);

describe('MAX_VALUE_DEPTH', () => {
  it('fails the node once with value_too_deep for a 5,000-deep output, with a secret to mask in it', async () => {
    executions = 0;
    const result = await runWorkflow(deepWorkflow(5000), withDeep, {
      options: { secrets: { TOKEN: 'a-secret-to-mask' } },
    });
    expect(executions).toBe(1);
    expect(result.status).toBe('failed');
    expect(result.error).toEqual({
      node_id: 'deep',
      type: 'value_too_deep',
      message: "the node's output nests arrays or objects more than 1000 levels deep (MAX_VALUE_DEPTH)",
    });
  });

  it('passes a value at the limit on', async () => {
    const result = await runWorkflow(deepWorkflow(1000), withDeep, {
      options: { secrets: { TOKEN: 'a-secret-to-mask' } },
    });
    expect(result.status).toBe('completed');
    expect(JSON.stringify(result.output)).toContain('the bottom, with [secret:TOKEN]');
  });

  it('fails a node whose output PostgreSQL could not store (a NUL) with value_not_storable', async () => {
    const result = await runWorkflow(deepWorkflow(2), withDeep);
    expect(result.error).toEqual({
      node_id: 'deep',
      type: 'value_not_storable',
      message: "the node's output holds a string with a NUL character or an unpaired surrogate, which cannot be stored",
    });
  });
});
