import { describe, expect, it } from '@jest/globals';
import { builtInNodeTypes } from '../nodes/index.js';
import { defineNodeType } from '../nodes/define-node-type.js';
import type { NodeTypeLookup } from './run-plan.js';
import { recordingHooks, runWorkflow } from './testing/run-workflow.js';

const SECRET = 'hunter2-but-longer';

/** Echoes a secret in every way a node can let it out: outputs, a delta, a client span. */
const Leaky = defineNodeType<{ template: string }>({
  type: 'Leaky',
  description: 'test',
  configSchema: { type: 'object', properties: { template: { type: 'string' } } },
  catalogConfig: { template: '' },
  inputs: () => [],
  outputs: () => [{ name: 'text' }],
  checkConfig: () => [],
  async execute(_, ctx) {
    const value = ctx.secrets!.TOKEN;
    ctx.emitDelta({ text: `delta ${value}` });
    const span = ctx.services!.traceOutbound!(ctx.nodeId, `GET ${value}`, { 'url.full': `https://h/?k=${value}` });
    span.end({ error: `failed with ${value}` });
    return { text: `out ${value}`, [value]: [value] };
  },
});

const types: NodeTypeLookup = { get: (type) => (type === 'Leaky' ? Leaky : builtInNodeTypes.get(type)) };

describe('DagRunner with secrets', () => {
  it('masks outputs, inputs downstream, deltas, span attributes and errors as [secret:NAME]', async () => {
    const spans: unknown[] = [];
    const hooks = recordingHooks();
    const inputs: unknown[] = [];
    const result = await runWorkflow(
      {
        nodes: [
          { id: 'leak', type: 'Leaky', config: {} },
          { id: 'fail', type: 'FailNode', config: { message: 'got ((value)) and ((secrets.TOKEN))' } },
        ],
        edges: [{ from: { node_id: 'leak', output: 'text' }, to: { node_id: 'fail', input: 'value' } }],
      },
      types,
      {
        hooks: { ...hooks, onNodeStarted: (id, _type, recorded) => void inputs.push(recorded) },
        options: {
          secrets: { TOKEN: SECRET },
          services: {
            traceOutbound: (_nodeId, name, attributes) => {
              spans.push({ name, attributes });
              return { end: (outcome) => void spans.push(outcome) };
            },
          },
        },
      },
    );
    expect(result.nodes.get('leak')!.outputs).toEqual({
      text: 'out [secret:TOKEN]',
      '[secret:TOKEN]': ['[secret:TOKEN]'],
    });
    expect(inputs).toEqual([{}, { value: 'out [secret:TOKEN]' }]);
    expect(result.error).toMatchObject({ node_id: 'fail', message: 'got out [secret:TOKEN] and [secret:TOKEN]' });
    expect(hooks.events).toContain('delta leak {"text":"delta [secret:TOKEN]"}');
    expect(spans).toEqual([
      { name: 'GET [secret:TOKEN]', attributes: { 'url.full': 'https://h/?k=[secret:TOKEN]' } },
      { error: 'failed with [secret:TOKEN]' },
    ]);
    expect(JSON.stringify([result, hooks.events, spans, inputs])).not.toContain(SECRET);
  });
});
