import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newGroupWithKey } from './support/groups.js';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { SEED_DEFINITION } from './support/workflows.js';

/**
 * A definition in no order a serializer would pick: `edges` first, `to` before `from`, node keys
 * shuffled, nested config maps (headers, a policy) in reverse alphabetical order, and a call of
 * another workflow with its keys around `workflow_id`. CALLED stands for that workflow's id.
 */
const UNUSUAL = `{
  "edges": [
    { "to": { "input": "data", "node_id": "shape" }, "from": { "output": "value", "node_id": "in" } },
    { "to": { "node_id": "post", "input": "payload" }, "from": { "node_id": "shape", "output": "result" } },
    { "to": { "input": "question", "node_id": "child" }, "from": { "output": "value", "node_id": "in" } },
    { "from": { "node_id": "post", "output": "status" }, "to": { "input": "value", "node_id": "out" } }
  ],
  "nodes": [
    { "config": { "type": "str", "label": "Question", "description": "asked", "default": "why?" }, "type": "InputNode", "id": "in" },
    { "type": "TransformNode", "id": "shape", "config": { "expression": "{ 'z': $, 'a': 1 }" } },
    {
      "retry": { "max_attempts": 2, "initial_interval_ms": 10 },
      "id": "post",
      "config": {
        "timeout_ms": 1000,
        "url": "http://127.0.0.1:9/hook",
        "method": "POST",
        "headers": { "Z-Last": "z", "Content-Type": "application/json", "A-First": "a" },
        "body": "((payload))"
      },
      "type": "HttpRequestNode",
      "on_error": "continue",
      "position": { "y": 10, "x": 20 }
    },
    { "type": "WorkflowNode", "config": { "outputs": ["Answer"], "workflow_id": "CALLED", "inputs": ["question"] }, "id": "child" },
    { "id": "out", "config": { "label": "Status" }, "type": "OutputNode" }
  ]
}`;

describe('a definition reads back exactly as it was saved, key order included, on every path', () => {
  let t: TestApp;
  let calledId: string;
  beforeAll(async () => {
    t = await createTestApp();
    const called = await t.http
      .post('/v1/workflows')
      .set('X-API-Key', ADMIN_KEY)
      .send({ name: 'answers', slug: 'key-order-called', definition: SEED_DEFINITION });
    calledId = called.body.id;
  });
  afterAll(() => t.close());

  const send = (method: 'post' | 'patch', url: string, body: string, key = ADMIN_KEY) =>
    t.http[method](url).set('X-API-Key', key).set('Content-Type', 'application/json').send(body);
  const get = (url: string, key = ADMIN_KEY) => t.http.get(url).set('X-API-Key', key);
  /** The definition as JSON text, compact, as the API writes it. */
  const compact = (text: string) => JSON.stringify(JSON.parse(text));
  const expectDefinitionText = (responseText: string, definition: string) =>
    expect(responseText).toContain(`"definition":${definition}`);

  it('POST, GET, the list, PATCH, versions, restore, validate, schedules, and export then import', async () => {
    const text = UNUSUAL.replace('CALLED', calledId);
    const sent = compact(text);
    const created = await send('post', '/v1/workflows', `{"definition":${text},"name":"unusual","slug":"key-order"}`);
    expect(created.status).toBe(201);
    expectDefinitionText(created.text, sent);
    const id = created.body.id as string;
    expectDefinitionText((await get(`/v1/workflows/${id}`)).text, sent);
    expectDefinitionText((await get('/v1/workflows?slug=key-order')).text, sent);

    const version = await t.http.post(`/v1/workflows/${id}/versions`).set('X-API-Key', ADMIN_KEY).send({});
    expectDefinitionText(version.text, sent);
    expectDefinitionText((await get(`/v1/workflows/${id}/versions/${version.body.id}`)).text, sent);
    expectDefinitionText((await get(`/v1/workflows/${id}/versions`)).text, sent);

    const edited = text.replace('"default": "why?"', '"default": "how?"');
    const patched = await send('patch', `/v1/workflows/${id}`, `{"definition":${edited}}`);
    expect(patched.status).toBe(200);
    expectDefinitionText(patched.text, compact(edited));
    const restored = await t.http
      .post(`/v1/workflows/${id}/versions/${version.body.id}/restore`)
      .set('X-API-Key', ADMIN_KEY)
      .send();
    expectDefinitionText(restored.text, sent);

    const validated = await send('post', '/v1/workflows/validate', `{"definition":${text}}`);
    expect(validated.body).toMatchObject({ valid: true, errors: [] });
    expect(Object.keys(validated.body.connectors)).toEqual(['in', 'shape', 'post', 'child', 'out']);

    const schedule = await send(
      'post',
      `/v1/workflows/${id}/schedules`,
      '{"input":{"Question":"when?"},"metadata":{"zz":"last","aa":"first"},"cron":"0 9 * * *"}',
    );
    expect(schedule.text).toContain('"metadata":{"zz":"last","aa":"first"}');

    const exported = await get(`/v1/workflows/${id}/export`);
    expect(exported.text).toContain('"metadata":{"zz":"last","aa":"first"}');
    const portable = compact(text.replace(`"workflow_id": "${calledId}"`, '"workflow": "key-order-called"'));
    expectDefinitionText(exported.text, portable);
    expect(exported.body.versions[0].definition).toEqual(JSON.parse(portable));

    const other = await newGroupWithKey(t.http, 'key-order-elsewhere');
    const calledDoc = (await get(`/v1/workflows/${calledId}/export`)).text;
    const imported = await send(
      'post',
      '/v1/workflows/import',
      `{"workflows":[${exported.text},${calledDoc}]}`,
      other.key,
    );
    expect(imported.status).toBe(200);
    const [copyOfCalled, copy] = imported.body.workflows.map((w: { workflow_id: string }) => w.workflow_id);
    const stored = compact(text.replace(calledId, copyOfCalled));
    expectDefinitionText((await get(`/v1/workflows/${copy}`, other.key)).text, stored);
    expectDefinitionText((await get(`/v1/workflows/${copy}/versions`, other.key)).text, stored);
    expect((await get(`/v1/workflows/${copy}/export`, other.key)).text).toBe(exported.text);
  });
});
