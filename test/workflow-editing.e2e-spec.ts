import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newGroupWithKey } from './support/groups.js';
import { expectProblem } from './support/problems.js';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { createWorkflow, SEED_DEFINITION } from './support/workflows.js';

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

  describe('POST /v1/workflows/{id}/versions/{version_id}/restore', () => {
    const restore = (workflowId: string, versionId: string, ifMatch?: string, key = ADMIN_KEY) => {
      const req = t.http.post(`/v1/workflows/${workflowId}/versions/${versionId}/restore`).set('X-API-Key', key);
      return ifMatch === undefined ? req.send() : req.set('If-Match', ifMatch).send();
    };
    const snapshot = async (workflowId: string) => {
      const res = await t.http.post(`/v1/workflows/${workflowId}/versions`).set('X-API-Key', ADMIN_KEY).send({});
      expect(res.status).toBe(201);
      return res.body as { id: string };
    };

    it("makes the version's definition the draft's, as saved, and bumps the revision", async () => {
      const created = await send('post', '/v1/workflows', `{"name":"restored","definition":${UNSORTED_TEXT}}`);
      const v1 = await snapshot(created.body.id);
      const changed = await send(
        'patch',
        `/v1/workflows/${created.body.id}`,
        JSON.stringify({ definition: SEED_DEFINITION }),
      );
      expect(changed.body.revision).toBe(2);

      const res = await restore(created.body.id, v1.id, '"2"');
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('"3"');
      expect(res.body.revision).toBe(3);
      expect(JSON.stringify(res.body.definition)).toBe(JSON.stringify(JSON.parse(UNSORTED_TEXT)));
      const draft = await get(`/v1/workflows/${created.body.id}`);
      expect(JSON.stringify(draft.body.definition)).toBe(JSON.stringify(JSON.parse(UNSORTED_TEXT)));
      // Without If-Match it restores whatever the revision.
      expect((await restore(created.body.id, v1.id)).body.revision).toBe(4);
    });

    it('answers 412 on a stale If-Match and leaves the draft alone', async () => {
      const workflow = await createWorkflow(t.http);
      const v1 = await snapshot(workflow.id);
      await send('patch', `/v1/workflows/${workflow.id}`, JSON.stringify({ name: 'renamed' }));
      const res = await restore(workflow.id, v1.id, '"1"');
      expectProblem(res, 412, 'stale-revision');
      expect(res.body.revision).toBe(2);
      expect((await get(`/v1/workflows/${workflow.id}`)).body.revision).toBe(2);
    });

    it("answers 404 for another workflow's version, an unknown one, and another group's workflow", async () => {
      const mine = await createWorkflow(t.http);
      const other = await createWorkflow(t.http);
      const theirVersion = await snapshot(other.id);
      expectProblem(await restore(mine.id, theirVersion.id), 404, 'not-found');
      expectProblem(await restore(mine.id, '00000000-0000-4000-8000-000000000000'), 404, 'not-found');
      expectProblem(await restore('00000000-0000-4000-8000-000000000000', theirVersion.id), 404, 'not-found');
      const stranger = await newGroupWithKey(t.http, 'restore-stranger');
      expectProblem(await restore(other.id, theirVersion.id, undefined, stranger.key), 404, 'not-found');
      expect((await get(`/v1/workflows/${mine.id}`)).body.revision).toBe(1);
    });
  });

  it('records the API key that made each version, and shows its name', async () => {
    const team = await newGroupWithKey(t.http, 'authors');
    const workflow = await createWorkflow(t.http, SEED_DEFINITION, { key: team.key });
    const me = await t.http.get('/v1/me').set('X-API-Key', team.key);
    const made = await t.http
      .post(`/v1/workflows/${workflow.id}/versions`)
      .set('X-API-Key', team.key)
      .send({ description: 'first cut' });
    expect(made.body).toMatchObject({
      author_key_id: me.body.key_id,
      author_key_name: 'authors',
      description: 'first cut',
    });
    const byAdmin = await t.http
      .post(`/v1/workflows/${workflow.id}/versions?group_id=${team.groupId}`)
      .set('X-API-Key', ADMIN_KEY)
      .send({});
    const admin = await get('/v1/me');
    expect(byAdmin.body.author_key_id).toBe(admin.body.key_id);
    const listed = await t.http.get(`/v1/workflows/${workflow.id}/versions`).set('X-API-Key', team.key);
    expect(listed.body.items.map((v: { author_key_id: string }) => v.author_key_id)).toEqual([
      admin.body.key_id,
      me.body.key_id,
    ]);
    const one = await t.http.get(`/v1/workflows/${workflow.id}/versions/${made.body.id}`).set('X-API-Key', team.key);
    expect(one.body).toMatchObject({ author_key_id: me.body.key_id, author_key_name: 'authors' });
  });

  describe('PUT and DELETE /v1/workflows/{id}/sample-input', () => {
    const put = (workflowId: string, body: unknown, key = ADMIN_KEY) =>
      t.http
        .put(`/v1/workflows/${workflowId}/sample-input`)
        .set('X-API-Key', key)
        .send(body as object);
    const remove = (workflowId: string, key = ADMIN_KEY) =>
      t.http.delete(`/v1/workflows/${workflowId}/sample-input`).set('X-API-Key', key);

    it('pins an input the workflow shows as sample_input, keeping its key order, without a new revision', async () => {
      const workflow = await createWorkflow(t.http);
      const before = await get(`/v1/workflows/${workflow.id}`);
      expect(before.body.sample_input).toBeNull();
      const input = { 'User Question': 'What is a DAG?', Context: 'graphs', 'A first': { z: 1, a: [2] } };
      const pinned = await put(workflow.id, { input });
      expect(pinned.status).toBe(200);
      expect(pinned.body).toEqual({ input });
      const after = await get(`/v1/workflows/${workflow.id}`);
      expect(JSON.stringify(after.body.sample_input)).toBe(JSON.stringify(input));
      expect(after.body.revision).toBe(before.body.revision);
      // The ETag changes with what the response shows, so no cache keeps the old sample input;
      // If-Match still compares the revision, and takes the new ETag as it is.
      expect(after.headers.etag).toMatch(new RegExp(`^"${before.body.revision}-[0-9a-f]{12}"$`));
      const renamed = await t.http
        .patch(`/v1/workflows/${workflow.id}`)
        .set('X-API-Key', ADMIN_KEY)
        .set('If-Match', after.headers.etag)
        .send({ name: 'renamed' });
      expect(renamed.status).toBe(200);
      expect(after.body.updated_at).toBe(before.body.updated_at);

      const replaced = await put(workflow.id, { input: { 'User Question': 'again' } });
      expect(replaced.body).toEqual({ input: { 'User Question': 'again' } });
      expect((await remove(workflow.id)).status).toBe(204);
      const cleared = await get(`/v1/workflows/${workflow.id}`);
      expect(cleared.body).toMatchObject({ sample_input: null, revision: before.body.revision + 1 });
      expect((await remove(workflow.id)).status).toBe(204);
    });

    it('answers 422 for an input that is not an object, 404 for a workflow not in the group', async () => {
      const workflow = await createWorkflow(t.http);
      for (const input of [[1], 'text', null, 7])
        expectProblem(await put(workflow.id, { input }), 422, 'validation-error');
      expectProblem(await put(workflow.id, {}), 422, 'validation-error');
      const missing = '00000000-0000-4000-8000-000000000000';
      expectProblem(await put(missing, { input: {} }), 404, 'not-found');
      expectProblem(await remove(missing), 404, 'not-found');
      const stranger = await newGroupWithKey(t.http, 'sample-stranger');
      expectProblem(await put(workflow.id, { input: { x: 1 } }, stranger.key), 404, 'not-found');
      expectProblem(await remove(workflow.id, stranger.key), 404, 'not-found');
      expect((await get(`/v1/workflows/${workflow.id}`)).body.sample_input).toBeNull();
      await t.http.delete(`/v1/workflows/${workflow.id}`).set('X-API-Key', ADMIN_KEY);
      expectProblem(await put(workflow.id, { input: {} }), 404, 'not-found');
    });
  });
});
