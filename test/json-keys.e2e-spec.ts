import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { createWorkflow } from './support/workflows.js';

// Keys that plain JavaScript objects inherit methods for: data like any other key.
const METHOD_NAMES = { toString: 1, valueOf: 'v', constructor: [true], hasOwnProperty: { prototype: null } };

const ECHO = {
  nodes: [
    { id: 'in', type: 'InputNode', config: { label: 'toString', type: 'dict' } },
    { id: 'headers', type: 'TextTemplateNode', config: { template: '((valueOf))' } },
    { id: 'copy', type: 'TransformNode', config: { expression: '$' } },
    { id: 'out', type: 'OutputNode', config: { label: 'constructor' } },
  ],
  edges: [
    { from: { node_id: 'in', output: 'value' }, to: { node_id: 'headers', input: 'valueOf' } },
    { from: { node_id: 'headers', output: 'text' }, to: { node_id: 'copy', input: 'data' } },
    { from: { node_id: 'copy', output: 'result' }, to: { node_id: 'out', input: 'value' } },
  ],
};

describe('every JSON key is data', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('keeps toString, valueOf, constructor, hasOwnProperty in input, dict values, outputs and configs', async () => {
    const definition = {
      ...ECHO,
      nodes: [
        ...ECHO.nodes,
        {
          id: 'call',
          type: 'HttpRequestNode',
          config: { url: 'http://127.0.0.1:9/', headers: { toString: 'a', prototype: 'b' } },
        },
      ],
    };
    const workflow = await createWorkflow(t.http, definition);
    const stored = await t.http.get(`/v1/workflows/${workflow.id}`).set('X-API-Key', ADMIN_KEY);
    expect(stored.body.definition.nodes[4].config.headers).toEqual({ toString: 'a', prototype: 'b' });

    const res = await t.http
      .post(`/v1/workflows/${workflow.id}/runs/sync`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ input: { toString: METHOD_NAMES }, node_ids: ['out'] });
    expect(res.body).toMatchObject({ status: 'completed' });
    expect(res.body.input).toEqual({ toString: METHOD_NAMES });
    expect(JSON.parse(res.body.output.constructor)).toEqual(METHOD_NAMES);
  });

  it('still refuses __proto__ with a 422 naming it', async () => {
    const workflow = await createWorkflow(t.http, ECHO);
    const res = await t.http
      .post(`/v1/workflows/${workflow.id}/runs/sync`)
      .set('X-API-Key', ADMIN_KEY)
      .set('Content-Type', 'application/json')
      .send('{"input":{"toString":{"a":{"__proto__":{"x":1}}}}}');
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).toContain('input.toString.a.__proto__');
  });
});
