import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';

/**
 * The seed workflow written as an editor might send it: `edges` before `nodes`, `to` before
 * `from`, config keys in no alphabetical order, and a position per node.
 */
const UNSORTED_TEXT = `{
  "edges": [
    { "to": { "node_id": "prompt", "input": "q" }, "from": { "output": "value", "node_id": "question" } },
    { "to": { "input": "value", "node_id": "answer" }, "from": { "node_id": "prompt", "output": "text" } }
  ],
  "nodes": [
    { "type": "InputNode", "id": "question", "config": { "type": "str", "label": "User Question" }, "position": { "y": 40, "x": 0 } },
    { "id": "prompt", "config": { "template": "Q: ((q))" }, "type": "TextTemplateNode", "position": { "x": 280.5, "y": -12 } },
    { "position": { "x": 560, "y": 40 }, "type": "OutputNode", "config": { "label": "Answer" }, "id": "answer" }
  ]
}`;

/** The order most clients send, which jsonb would turn into `edges` first and `to` before `from`. */
const USUAL_TEXT = JSON.stringify({
  nodes: JSON.parse(UNSORTED_TEXT).nodes,
  edges: [
    { from: { node_id: 'question', output: 'value' }, to: { node_id: 'prompt', input: 'q' } },
    {
      from: { node_id: 'prompt', output: 'text' },
      to: { node_id: 'answer', input: 'value' },
    },
  ],
});

describe('workflow definitions as sent', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const send = (method: 'post' | 'patch', url: string, body: string) =>
    t.http[method](url).set('X-API-Key', ADMIN_KEY).set('Content-Type', 'application/json').send(body);
  const get = (url: string) => t.http.get(url).set('X-API-Key', ADMIN_KEY);

  it.each([
    ['edges first, to before from', UNSORTED_TEXT],
    ['nodes first, from before to', USUAL_TEXT],
  ])('reads a workflow and its versions back with their keys in the order they were saved (%s)', async (_, text) => {
    const sent = JSON.stringify(JSON.parse(text));
    const created = await send('post', '/v1/workflows', `{"name":"as sent","definition":${text}}`);
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.body.definition)).toBe(sent);
    const workflow = await get(`/v1/workflows/${created.body.id}`);
    expect(JSON.stringify(workflow.body.definition)).toBe(sent);
    const listed = await get('/v1/workflows');
    expect(JSON.stringify(listed.body.items[0].definition)).toBe(sent);

    const version = await t.http.post(`/v1/workflows/${created.body.id}/versions`).set('X-API-Key', ADMIN_KEY).send({});
    expect(version.status).toBe(201);
    expect(JSON.stringify(version.body.definition)).toBe(sent);
    const read = await get(`/v1/workflows/${created.body.id}/versions/${version.body.id}`);
    expect(JSON.stringify(read.body.definition)).toBe(sent);
  });

  it('runs a workflow whose nodes carry positions as it would without them', async () => {
    const created = await send('post', '/v1/workflows', `{"name":"drawn","definition":${UNSORTED_TEXT}}`);
    const run = await t.http
      .post(`/v1/workflows/${created.body.id}/runs/sync?output_only=true`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ input: { 'User Question': 'why?' } });
    expect(run.status).toBe(200);
    expect(run.body).toEqual({ Answer: 'Q: why?' });
  });
});
