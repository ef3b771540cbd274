import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { collectEvents, followEvents } from './support/sse.js';
import { createWorkflow } from './support/workflows.js';

const ECHO = {
  nodes: [
    { id: 'in', type: 'InputNode', config: { label: 'text', type: 'str' } },
    { id: 'echo', type: 'TextTemplateNode', config: { template: '((x))' } },
    { id: 'out', type: 'OutputNode', config: { label: 'out' } },
  ],
  edges: [
    { from: { node_id: 'in', output: 'value' }, to: { node_id: 'echo', input: 'x' } },
    { from: { node_id: 'echo', output: 'text' }, to: { node_id: 'out', input: 'value' } },
  ],
};

describe('debugger sessions', () => {
  let t: TestApp;
  let base: string;
  let otherGroup: string;
  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
    otherGroup = (await t.http.post('/v1/groups').set('X-API-Key', ADMIN_KEY).send({ name: 'b' })).body.id;
  });
  afterAll(() => t.close());

  const run = (workflowId: string, body: object, groupId?: string) =>
    t.http
      .post(`/v1/workflows/${workflowId}/runs/sync${groupId ? `?group_id=${groupId}` : ''}`)
      .set('X-API-Key', ADMIN_KEY)
      .send(body);

  it("streams several runs of the session with full node values, and only its own group's", async () => {
    const mine = await createWorkflow(t.http, ECHO);
    const theirs = await createWorkflow(t.http, ECHO, { groupId: otherGroup });
    const big = 'x'.repeat(70 * 1024); // over the 64 KiB cap of run event streams
    const stream = followEvents(
      `${base}/v1/debugger/dbg-1/events`,
      { 'X-API-Key': ADMIN_KEY },
      (events) => events.filter((e) => e.event === 'run.completed').length >= 2,
    );
    await stream.attached;
    const first = await run(mine.id, { input: { text: big }, debugger: 'dbg-1' });
    await run(theirs.id, { input: { text: 'other group' }, debugger: 'dbg-1' }, otherGroup);
    await run(mine.id, { input: { text: 'no session' } });
    const second = await run(mine.id, { input: { text: 'second' }, debugger: 'dbg-1' });
    const { status, events } = await stream.collected;

    expect(status).toBe(200);
    expect(new Set(events.map((e) => e.data.run_id))).toEqual(new Set([first.body.id, second.body.id]));
    const echoed = events.find(
      (e) => e.event === 'node.completed' && e.data.run_id === first.body.id && e.data.node_id === 'echo',
    )!;
    expect(echoed.data.inputs).toEqual({ x: big });
    expect(echoed.data.outputs).toEqual({ text: big });

    const replay = await collectEvents(
      `${base}/v1/debugger/dbg-1/events?group_id=${otherGroup}`,
      { 'X-API-Key': ADMIN_KEY, 'Last-Event-ID': '0' },
      (received) => received.some((e) => e.event === 'run.completed'),
    );
    expect(new Set(replay.events.map((e) => e.data.run_id)).size).toBe(1);
    expect(replay.events.every((e) => e.data.run_id !== first.body.id)).toBe(true);
  });

  it('rejects a malformed session name, and needs a key', async () => {
    expect((await t.http.get('/v1/debugger/has%20space/events').set('X-API-Key', ADMIN_KEY)).status).toBe(422);
    expect((await t.http.get('/v1/debugger/dbg/events')).status).toBe(401);
  });
});
