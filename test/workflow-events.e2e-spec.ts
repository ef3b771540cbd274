import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN_KEY, createTestApp, type TestApp } from './support/test-app.js';
import { collectEvents, followEvents } from './support/sse.js';
import { createWorkflow, failWorkflow } from './support/workflows.js';

describe('GET /v1/workflows/{workflow_id}/events', () => {
  let t: TestApp;
  let base: string;
  let otherGroup: string;
  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
    otherGroup = (await t.http.post('/v1/groups').set('X-API-Key', ADMIN_KEY).send({ name: 'elsewhere' })).body.id;
  });
  afterAll(() => t.close());

  const runSync = (workflowId: string, input: object = {}) =>
    t.http.post(`/v1/workflows/${workflowId}/runs/sync`).set('X-API-Key', ADMIN_KEY).send({ input });
  const finished = (events: { event: string }[]) =>
    events.filter((e) => e.event === 'run.completed' || e.event === 'run.failed').length;

  it("streams the live events of every run of the workflow, and only that workflow's", async () => {
    const watched = await createWorkflow(t.http);
    const other = await createWorkflow(t.http);
    await runSync(watched.id, { 'User Question': 'before the stream opened' });
    const stream = followEvents(
      `${base}/v1/workflows/${watched.id}/events`,
      { 'X-API-Key': ADMIN_KEY },
      (events) => finished(events) >= 2,
    );
    await stream.attached;
    const first = await runSync(watched.id, { 'User Question': 'one' });
    await runSync(other.id, { 'User Question': 'another workflow' });
    const second = await t.http
      .post(`/v1/workflows/${watched.id}/runs`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ input: { 'User Question': 'two, queued' } });
    const { status, events } = await stream.collected;

    expect(status).toBe(200);
    expect(new Set(events.map((e) => e.data.run_id))).toEqual(new Set([first.body.id, second.body.id]));
    const ofFirst = events.filter((e) => e.data.run_id === first.body.id).map((e) => e.event);
    expect(ofFirst).toEqual(expect.arrayContaining(['node.started', 'node.completed', 'run.completed']));
    const ids = events.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('replays stored events with Last-Event-ID: 0, failures included', async () => {
    const failing = await createWorkflow(t.http, failWorkflow('no luck'));
    const run = await runSync(failing.id);
    const { events } = await collectEvents(
      `${base}/v1/workflows/${failing.id}/events`,
      { 'X-API-Key': ADMIN_KEY, 'Last-Event-ID': '0' },
      (received) => finished(received) >= 1,
    );
    expect(events.every((e) => e.data.run_id === run.body.id)).toBe(true);
    expect(events.find((e) => e.event === 'node.failed')?.data).toMatchObject({ node_id: 'boom' });
  });

  it("answers 404 for an unknown workflow, another group's, or a malformed id, and 401 without a key", async () => {
    const theirs = await createWorkflow(t.http, undefined, { groupId: otherGroup });
    const key = { 'X-API-Key': ADMIN_KEY };
    for (const id of ['00000000-0000-4000-8000-000000000000', theirs.id, 'not-a-uuid']) {
      const answer = await collectEvents(`${base}/v1/workflows/${id}/events`, key, () => true);
      expect(answer.status).toBe(404);
    }
    expect((await t.http.get(`/v1/workflows/${theirs.id}/events`)).status).toBe(401);
    const inTheirGroup = await collectEvents(
      `${base}/v1/workflows/${theirs.id}/events?group_id=${otherGroup}`,
      { ...key, 'Last-Event-ID': '0' },
      () => true,
    );
    expect(inTheirGroup.status).toBe(200);
  });
});
