import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newGroupWithKey } from './support/groups.js';
import { expectProblem } from './support/problems.js';
import { ADMIN_KEY, createTestApp, type TestApp } from './support/test-app.js';
import { createTrigger, githubHeaders } from './support/triggers.js';
import { createWorkflow } from './support/workflows.js';
import { PrismaService } from '../src/database/prisma.service.js';

const GITHUB = {
  name: 'pushes',
  input_mapping: '{ "User Question": body.message }',
  verification: { type: 'github' },
};
const PUSH = JSON.stringify({ message: 'hi' });

describe('webhook triggers API', () => {
  let t: TestApp;
  let workflowId: string;
  let other: { groupId: string; key: string };

  beforeAll(async () => {
    t = await createTestApp({ SECRETS_KEY: 'b'.repeat(64) });
    workflowId = (await createWorkflow(t.http)).id;
    other = await newGroupWithKey(t.http, 'other tenant');
  });
  afterAll(async () => {
    await t?.close();
  });

  const create = (body: unknown, key = ADMIN_KEY, workflow = workflowId) =>
    t.http
      .post(`/v1/workflows/${workflow}/triggers`)
      .set('X-API-Key', key)
      .send(body as object);
  const push = (url: string, secret: string) => t.http.post(url).set(githubHeaders(secret, PUSH)).send(PUSH);

  it('shows the URL and secret once, then only the settings', async () => {
    const created = await createTrigger(t.http, workflowId, GITHUB);
    expect(created).toMatchObject({
      name: 'pushes',
      mode: 'async',
      enabled: true,
      workflow_version_id: null,
      callback_url: null,
      verification: { type: 'github' },
      last_delivery_at: null,
    });
    expect(created.url).toMatch(/^\/v1\/hooks\/rlh_[A-Za-z0-9_-]{32}$/);
    expect(created.secret).toMatch(/^[0-9a-f]{64}$/);
    const read = await t.http.get(`/v1/triggers/${created.id}`).set('X-API-Key', ADMIN_KEY);
    expect(read.status).toBe(200);
    expect(read.body).not.toHaveProperty('url');
    expect(read.body).not.toHaveProperty('secret');
    const listed = await t.http.get(`/v1/workflows/${workflowId}/triggers`).set('X-API-Key', ADMIN_KEY);
    expect(listed.body).toMatchObject({ total: 1, items: [{ id: created.id }] });
    // Neither the token nor the secret is stored as given.
    expect(JSON.stringify(await t.app.get(PrismaService).trigger.findMany())).not.toContain(created.secret);
  });

  it('changes settings with PATCH and refuses nulls, a bad mapping and a tolerance github has not', async () => {
    const created = await createTrigger(t.http, workflowId, { ...GITHUB, name: 'to change' });
    const patch = (body: unknown) =>
      t.http
        .patch(`/v1/triggers/${created.id}`)
        .set('X-API-Key', ADMIN_KEY)
        .send(body as object);
    const changed = await patch({ name: 'changed', mode: 'sync', input_mapping: '{ "User Question": "x" }' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: 'changed', mode: 'sync', input_mapping: '{ "User Question": "x" }' });
    expectProblem(await patch({ name: null }), 422, 'validation-error');
    expectProblem(await patch({ input_mapping: '{ "a": ' }), 422, 'validation-error');
    expectProblem(await patch({ verification: { tolerance_seconds: 10 } }), 422);
    expectProblem(await patch({ callback_url: 'ftp://example.com' }), 422);
  });

  it('rotates the token and the secret: the old ones stop working at once', async () => {
    const created = await createTrigger(t.http, workflowId, GITHUB);
    expect((await push(created.url, created.secret!)).status).toBe(202);
    const rotate = (body: unknown) =>
      t.http
        .post(`/v1/triggers/${created.id}/rotate`)
        .set('X-API-Key', ADMIN_KEY)
        .send(body as object);

    const newToken = await rotate({ token: true });
    expect(newToken.status).toBe(200);
    expect(newToken.body.secret).toBeNull();
    expectProblem(await push(created.url, created.secret!), 404);
    expect((await push(newToken.body.url, created.secret!)).status).toBe(202);

    const newSecret = await rotate({ secret: true, secret_value: 'a-secret-of-mine' });
    expect(newSecret.body).toMatchObject({ url: null, secret: 'a-secret-of-mine' });
    expectProblem(await push(newToken.body.url, created.secret!), 401);
    expect((await push(newToken.body.url, 'a-secret-of-mine')).status).toBe(202);

    const both = await rotate({});
    expect(both.body.url).not.toBe(newToken.body.url);
    expect(both.body.secret).toMatch(/^[0-9a-f]{64}$/);
    expectProblem(await rotate({ token: false, secret: false }), 422);
  });

  it('deletes a trigger: its URL answers 404, its runs stay', async () => {
    const created = await createTrigger(t.http, workflowId, GITHUB);
    const run = await push(created.url, created.secret!);
    expect((await t.http.delete(`/v1/triggers/${created.id}`).set('X-API-Key', ADMIN_KEY)).status).toBe(204);
    expectProblem(await push(created.url, created.secret!), 404);
    expectProblem(await t.http.get(`/v1/triggers/${created.id}`).set('X-API-Key', ADMIN_KEY), 404);
    const kept = await t.http.get(`/v1/runs/${run.body.id}`).set('X-API-Key', ADMIN_KEY);
    expect(kept.body.trigger_id).toBe(created.id);
  });

  it("hides a trigger from another group's key", async () => {
    const created = await createTrigger(t.http, workflowId, GITHUB);
    const key = other.key;
    expectProblem(await t.http.get(`/v1/triggers/${created.id}`).set('X-API-Key', key), 404);
    expectProblem(await t.http.patch(`/v1/triggers/${created.id}`).set('X-API-Key', key).send({ enabled: false }), 404);
    expectProblem(await t.http.post(`/v1/triggers/${created.id}/rotate`).set('X-API-Key', key).send({}), 404);
    expectProblem(await t.http.delete(`/v1/triggers/${created.id}`).set('X-API-Key', key), 404);
    expectProblem(await t.http.get(`/v1/workflows/${workflowId}/triggers`).set('X-API-Key', key), 404);
    expectProblem(await create(GITHUB, key), 404);
    expect((await t.http.get(`/v1/triggers/${created.id}`).set('X-API-Key', ADMIN_KEY)).body.enabled).toBe(true);
  });

  it.each([
    ['no verification', { name: 'x', input_mapping: 'body' }, 'verification'],
    ['an unknown type', { ...GITHUB, verification: { type: 'gitlab' } }, 'verification.type'],
    [
      'hmac without its header',
      { ...GITHUB, verification: { type: 'hmac', algorithm: 'sha256' } },
      'verification.header',
    ],
    [
      'a tolerance github has not',
      { ...GITHUB, verification: { type: 'github', tolerance_seconds: 5 } },
      'verification.tolerance_seconds',
    ],
    ['a bad JSONata mapping', { ...GITHUB, input_mapping: '{ "a": ' }, 'input_mapping'],
    ['a bad callback_url', { ...GITHUB, callback_url: 'not a url' }, 'callback_url'],
    ['a secret for none', { ...GITHUB, verification: { type: 'none' }, secret: 'whatever-secret' }, 'secret'],
    [
      'a plain Standard Webhooks secret',
      { ...GITHUB, verification: { type: 'standard_webhooks' }, secret: 'plain-secret' },
      'secret',
    ],
    ['an unknown field', { ...GITHUB, extra: 1 }, 'extra'],
    ['a bad mode', { ...GITHUB, mode: 'later' }, 'mode'],
  ])('refuses %s with 422', async (_, body, field) => {
    const res = await create(body);
    expectProblem(res, 422);
    expect((res.body.errors as { field: string }[]).map((error) => error.field)).toContain(field);
  });

  it('answers malformed JSON 400 and an unknown workflow or version 404', async () => {
    const malformed = await t.http
      .post(`/v1/workflows/${workflowId}/triggers`)
      .set('X-API-Key', ADMIN_KEY)
      .set('Content-Type', 'application/json')
      .send('{"name": ');
    expectProblem(malformed, 400);
    expectProblem(await create(GITHUB, ADMIN_KEY, '00000000-0000-4000-8000-000000000000'), 404);
    expectProblem(await create({ ...GITHUB, workflow_version_id: '00000000-0000-4000-8000-000000000000' }), 404);
  });

  it('refuses a trigger past max_triggers with 409 until one is deleted', async () => {
    const workflow = (await createWorkflow(t.http, undefined, { key: other.key, groupId: other.groupId })).id;
    const limited = await t.http
      .patch(`/v1/groups/${other.groupId}`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ limits: { max_triggers: 1 } });
    expect(limited.status).toBe(200);
    const first = await createTrigger(t.http, workflow, GITHUB, other.key);
    const refused = await create(GITHUB, other.key, workflow);
    expectProblem(refused, 409, 'limit-exceeded/max_triggers');
    expect(refused.body).toMatchObject({ limit: 'max_triggers', value: 1, current: 1 });
    const group = await t.http.get(`/v1/groups/${other.groupId}`).set('X-API-Key', ADMIN_KEY);
    expect(group.body.usage.triggers).toBe(1);
    await t.http.delete(`/v1/triggers/${first.id}`).set('X-API-Key', other.key).expect(204);
    expect((await create(GITHUB, other.key, workflow)).status).toBe(201);
  });
});
