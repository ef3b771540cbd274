import { describe, expect, it } from '@jest/globals';
import { builtInNodeTypes } from '../nodes/index.js';
import { defineNodeType } from '../nodes/define-node-type.js';
import { NodeFailure } from '../node-type.js';
import { MAX_ERROR_MESSAGE_LENGTH } from './run-result.js';
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

/** Fails with a message as long as `pad` plus the secret: a node never cuts its own message. */
const Padded = defineNodeType<{ pad: number }>({
  type: 'Padded',
  description: 'test',
  configSchema: { type: 'object', properties: { pad: { type: 'integer' } } },
  catalogConfig: { pad: 0 },
  inputs: () => [],
  outputs: () => [{ name: 'value' }],
  checkConfig: () => [],
  async execute(_, ctx) {
    if (ctx.config.pad < 0) return { value: 10n };
    throw new NodeFailure(`HTTP 400: ${'p'.repeat(ctx.config.pad)}${ctx.secrets!.TOKEN} and the rest`, 'http_status');
  },
});

const types: NodeTypeLookup = {
  get: (type) => (type === 'Leaky' ? Leaky : type === 'Padded' ? Padded : builtInNodeTypes.get(type)),
};

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

  it('masks a long error message whole, then cuts it: whatever the padding, no piece of the secret shows', async () => {
    for (const pad of [0, 950, 970, 975, 980, 985, 990, 1000, 5000]) {
      const hooks = recordingHooks();
      const result = await runWorkflow({ nodes: [{ id: 'call', type: 'Padded', config: { pad } }], edges: [] }, types, {
        hooks,
        options: { secrets: { TOKEN: SECRET } },
      });
      expect(result.error!.type).toBe('http_status');
      expect(result.error!.message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
      const everything = JSON.stringify([result.error, hooks.events]);
      for (let at = 0; at + 8 <= SECRET.length; at++) expect(everything).not.toContain(SECRET.slice(at, at + 8));
    }
  });

  it('fails the node with internal_error when its outputs cannot even be measured, instead of crashing the run', async () => {
    const result = await runWorkflow(
      { nodes: [{ id: 'odd', type: 'Padded', config: { pad: -1 } }], edges: [] },
      types,
      {
        options: { secrets: { TOKEN: SECRET } },
      },
    );
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({
      node_id: 'odd',
      type: 'internal_error',
      message: expect.stringMatching(/BigInt/),
    });
  });
});
