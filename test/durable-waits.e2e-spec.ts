import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { expectProblem } from './support/problems.js';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { newGroupWithKey } from './support/groups.js';
import { followEvents } from './support/sse.js';
import { waitFor } from './support/wait.js';
import { createWorkflow, edge } from './support/workflows.js';

/** start → SignalNode `approval` (optional schema, timeout) → OutputNode `answer`. */
function signalWorkflow(config: Record<string, unknown> = {}, policy: Record<string, unknown> = {}) {
  return {
    nodes: [
      { id: 'start', type: 'InputNode', config: { label: 'start', type: 'any', default: null } },
      { id: 'approval', type: 'SignalNode', config: { name: 'approval', ...config }, ...policy },
      { id: 'answer', type: 'OutputNode', config: { label: 'answer' } },
    ],
    edges: [edge('start.value', 'approval.value'), edge('approval.payload', 'answer.value')],
  };
}

/** start → WaitNode (config) → OutputNode `done`. */
function waitWorkflow(config: Record<string, unknown>) {
  return {
    nodes: [
      { id: 'start', type: 'InputNode', config: { label: 'start', type: 'any', default: null } },
      { id: 'wait', type: 'WaitNode', config },
      { id: 'done', type: 'OutputNode', config: { label: 'done' } },
    ],
    edges: [edge('start.value', 'wait.value'), edge('wait.value', 'done.value')],
  };
}

describe('durable waits', () => {
  let t: TestApp;
  let db: pg.Client;
  beforeAll(async () => {
    t = await createTestApp({ ROLE: 'all' });
    await t.app.listen(0, '127.0.0.1');
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  const get = (path: string) => t.http.get(path).set('X-API-Key', ADMIN_KEY);
  const post = (path: string, body: unknown) =>
    t.http
      .post(path)
      .set('X-API-Key', ADMIN_KEY)
      .send(body as object);
  const runOf = (id: string) => get(`/v1/runs/${id}`).then((res) => res.body);
  const nodeRun = async (runId: string, nodeId: string) =>
    (await get(`/v1/runs/${runId}/nodes`)).body.items.find((node: { node_id: string }) => node.node_id === nodeId);
  const queued = async (definition: unknown, input: unknown = {}) => {
    const workflow = await createWorkflow(t.http, definition);
    const created = await post(`/v1/workflows/${workflow.id}/runs`, { input });
    expect(created.status).toBe(202);
    return { workflowId: workflow.id, runId: created.body.id as string };
  };
  const statusIs = (runId: string, status: string, timeoutMs = 10_000) =>
    waitFor(async () => {
      const run = await runOf(runId);
      return run.status === status ? run : undefined;
    }, timeoutMs);
  const finished = (id: string, timeoutMs = 10_000) =>
    waitFor(async () => {
      const run = await runOf(id);
      return ['completed', 'failed', 'stopped'].includes(run.status) ? run : undefined;
    }, timeoutMs);

  it('a sync run that reaches a SignalNode answers 202 at once; the signal completes it with its payload', async () => {
    const workflow = await createWorkflow(t.http, signalWorkflow());
    const started = Date.now();
    const created = await post(`/v1/workflows/${workflow.id}/runs/sync`, { input: { start: 1 } });
    expect(created.status).toBe(202);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(created.headers.location).toBe(`/v1/workflows/${workflow.id}/runs/${created.body.id}`);
    expect(created.body.status).toBe('waiting');
    const runId: string = created.body.id;

    const nodes = (await get(`/v1/runs/${runId}/nodes`)).body.items;
    const approval = nodes.find((node: { node_id: string }) => node.node_id === 'approval');
    expect(approval).toMatchObject({ status: 'waiting', signal: { name: 'approval', schema: null } });
    expect(approval.resume_url).toMatch(/^\/v1\/resume\/[A-Za-z0-9_-]{43}$/);
    const row = (await db.query(`SELECT lease_owner, parks FROM runs WHERE id = $1`, [runId])).rows[0];
    expect(row).toEqual({ lease_owner: null, parks: 1 });

    const sent = await post(`/v1/runs/${runId}/signals/approval`, { payload: { approved: true } });
    expect(sent.status).toBe(202);
    const run = await finished(runId);
    expect(run.status).toBe('completed');
    expect(run.output).toEqual({ answer: { approved: true } });
  }, 30_000);

  it('a WaitNode parks the run until its time, then it resumes: listed as waiting meanwhile, counted by the metric', async () => {
    const { workflowId, runId } = await queued(waitWorkflow({ duration_ms: 1500 }), { start: 'x' });
    const waiting = await statusIs(runId, 'waiting');
    expect(waiting.output).toBeNull();
    const wait = await nodeRun(runId, 'wait');
    expect(wait.status).toBe('waiting');
    const until = Date.parse(wait.waiting_until);
    expect(until).toBeGreaterThan(Date.parse(wait.started_at) + 1400);
    expect(wait.resume_url).toBeNull();
    const listed = (await get(`/v1/workflows/${workflowId}/runs?status=waiting`)).body.items;
    expect(listed.map((run: { id: string }) => run.id)).toEqual([runId]);
    const metrics = (await t.http.get('/metrics')).text;
    expect(metrics).toMatch(/^runloom_runs_waiting [1-9]/m);
    expect(metrics).toMatch(/^runloom_runs_parked_total\{mode="async"\} [1-9]/m);

    const run = await finished(runId);
    expect(run.status).toBe('completed');
    expect(run.output).toEqual({ done: 'x' });
    const done = await nodeRun(runId, 'wait');
    expect(Date.parse(done.finished_at)).toBeGreaterThanOrEqual(until);
    expect(done.waiting_until).toBe(wait.waiting_until);
    const events = (await db.query(`SELECT type FROM run_events WHERE run_id = $1 ORDER BY id`, [runId])).rows;
    expect(events.map((event) => event.type)).toEqual([
      'run.queued',
      'run.started',
      'node.started',
      'node.completed',
      'node.started',
      'node.waiting',
      'run.waiting',
      'run.started',
      'node.started',
      'node.completed',
      'node.started',
      'node.completed',
      'run.completed',
    ]);
  }, 30_000);

  it('a WaitNode `until` in the past does not wait; one that is not an instant fails the node', async () => {
    const untilInput = {
      nodes: [
        { id: 'start', type: 'InputNode', config: { label: 'start', type: 'str' } },
        { id: 'wait', type: 'WaitNode', config: { until: '((at))' } },
        { id: 'done', type: 'OutputNode', config: { label: 'done' } },
      ],
      edges: [edge('start.value', 'wait.at'), edge('wait.value', 'done.value')],
    };
    const past = await queued(untilInput, { start: '2020-01-01T00:00:00Z' });
    expect(await finished(past.runId)).toMatchObject({ status: 'completed', output: { done: null } });
    const bad = await queued(untilInput, { start: 'next tuesday' });
    const failed = await finished(bad.runId);
    expect(failed.error).toMatchObject({ node_id: 'wait', type: 'invalid_wait_time' });
  }, 30_000);

  it('signals sent before the nodes are reached wait for them and are taken in order', async () => {
    const twoApprovals = {
      nodes: [
        { id: 'start', type: 'InputNode', config: { label: 'start', type: 'any', default: null } },
        { id: 'pause', type: 'WaitNode', config: { duration_ms: 1000 } },
        { id: 'first', type: 'SignalNode', config: { name: 'approval' } },
        { id: 'second', type: 'SignalNode', config: { name: 'approval' } },
        { id: 'a', type: 'OutputNode', config: { label: 'a' } },
        { id: 'b', type: 'OutputNode', config: { label: 'b' } },
      ],
      edges: [
        edge('start.value', 'pause.value'),
        edge('pause.value', 'first.value'),
        edge('first.payload', 'second.value'),
        edge('first.payload', 'a.value'),
        edge('second.payload', 'b.value'),
      ],
    };
    const { runId } = await queued(twoApprovals);
    await statusIs(runId, 'waiting');
    expect((await post(`/v1/runs/${runId}/signals/approval`, { payload: 'one' })).status).toBe(202);
    expect((await post(`/v1/runs/${runId}/signals/approval`, { payload: 'two' })).status).toBe(202);
    const run = await finished(runId);
    expect(run.output).toEqual({ a: 'one', b: 'two' });
    expect((await nodeRun(runId, 'first')).signal).toEqual({ name: 'approval', schema: null });
  }, 30_000);

  it('a signal is refused when no SignalNode takes its name or its payload does not match the schema; 404 and 409 as for runs', async () => {
    const schema = { type: 'object', required: ['approved'], properties: { approved: { type: 'boolean' } } };
    const { runId } = await queued(signalWorkflow({ schema }));
    await statusIs(runId, 'waiting');
    expect((await nodeRun(runId, 'approval')).signal).toEqual({ name: 'approval', schema });

    const wrong = await post(`/v1/runs/${runId}/signals/approval`, { payload: { approved: 'yes' } });
    expectProblem(wrong, 422, 'validation-error');
    expect(wrong.body.errors).toEqual([{ field: 'payload', message: '/approved must be boolean' }]);
    expectProblem(await post(`/v1/runs/${runId}/signals/approval`, {}), 422, 'validation-error');
    const unknown = await post(`/v1/runs/${runId}/signals/other`, { payload: {} });
    expectProblem(unknown, 422, 'validation-error');
    expect(unknown.body.errors[0].message).toContain('no SignalNode waiting for "other"');
    expectProblem(await post(`/v1/runs/${runId}/signals/approval`, { payload: {}, extra: 1 }), 422);
    expectProblem(await post(`/v1/runs/00000000-0000-4000-8000-000000000000/signals/approval`, { payload: {} }), 404);
    const other = await newGroupWithKey(t.http, 'signals-other');
    const fromOther = await t.http
      .post(`/v1/runs/${runId}/signals/approval`)
      .set('X-API-Key', other.key)
      .send({ payload: { approved: true } });
    expectProblem(fromOther, 404);
    const unauthenticated = await t.http.post(`/v1/runs/${runId}/signals/approval`).send({ payload: {} });
    expectProblem(unauthenticated, 401);
    expect((await runOf(runId)).status).toBe('waiting');

    expect((await post(`/v1/runs/${runId}/signals/approval`, { payload: { approved: true } })).status).toBe(202);
    expect((await finished(runId)).output).toEqual({ answer: { approved: true } });
    const late = await post(`/v1/runs/${runId}/signals/approval`, { payload: { approved: true } });
    expectProblem(late, 409, 'conflict');
    expect(late.body.run_status).toBe('completed');
  }, 30_000);

  it('a resume link sends the signal without an API key, once; used again, or after its timeout, it is gone', async () => {
    const schema = { type: 'object', required: ['approved'] };
    const { runId } = await queued(signalWorkflow({ schema, timeout_ms: 600_000 }));
    await statusIs(runId, 'waiting');
    const link: string = (await nodeRun(runId, 'approval')).resume_url;
    const page = await t.http.get(link);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('approval');
    expectProblem(await t.http.post(link).send({ payload: { approved: 1, note: 'no' }, other: 1 }), 422);
    expectProblem(await t.http.post(link).send({ payload: 'not an object' }), 422);
    expect((await t.http.post(link).send({ payload: { approved: true } })).status).toBe(202);
    expectProblem(await t.http.post(link).send({ payload: { approved: false } }), 410, 'resume-link-gone');
    expect((await finished(runId)).output).toEqual({ answer: { approved: true } });
    expectProblem(await t.http.post(link).send({ payload: { approved: false } }), 410, 'resume-link-gone');
    expectProblem(await t.http.get(link), 410, 'resume-link-gone');
    expectProblem(await t.http.post(`${link.slice(0, -4)}AAAA`).send({ payload: {} }), 404);
    expectProblem(await t.http.post('/v1/resume/x').send({ payload: {} }), 404);

    // The database keeps the token's hash only.
    const token = link.split('/').at(-1)!;
    const leaks = await db.query(
      `SELECT (SELECT count(*) FROM node_runs WHERE node_runs::text LIKE $1) + (SELECT count(*) FROM run_events WHERE run_events::text LIKE $1) AS found`,
      [`%${token}%`],
    );
    expect(Number(leaks.rows[0].found)).toBe(0);

    const expiring = await queued(signalWorkflow({ timeout_ms: 800 }, { on_error: 'continue' }));
    await statusIs(expiring.runId, 'waiting');
    const expiringLink: string = (await nodeRun(expiring.runId, 'approval')).resume_url;
    await finished(expiring.runId);
    expectProblem(await t.http.post(expiringLink).send({ payload: 1 }), 410, 'resume-link-gone');
  }, 30_000);

  it('a SignalNode that times out fails with signal_timeout: on_error continue takes the escalation branch', async () => {
    const escalating = {
      nodes: [
        { id: 'approval', type: 'SignalNode', config: { name: 'approval', timeout_ms: 700 }, on_error: 'continue' },
        { id: 'approved', type: 'OutputNode', config: { label: 'approved' } },
        { id: 'escalated', type: 'OutputNode', config: { label: 'escalated' } },
      ],
      edges: [edge('approval.payload', 'approved.value'), edge('approval.error', 'escalated.value')],
    };
    const { runId } = await queued(escalating);
    const run = await finished(runId);
    expect(run.status).toBe('completed');
    expect(run.output.escalated).toMatchObject({ type: 'signal_timeout' });
    expect(run.output.escalated.message).toContain('no signal "approval" arrived within 700 ms');
    expect(run.output).not.toHaveProperty('approved');

    const failing = await queued(
      signalWorkflow({ timeout_ms: 500 }, { retry: { max_attempts: 2, initial_interval_ms: 10 } }),
    );
    const failed = await finished(failing.runId);
    expect(failed.error).toMatchObject({ node_id: 'approval', type: 'signal_timeout' });
    expect((await nodeRun(failing.runId, 'approval')).attempts).toHaveLength(2);
  }, 30_000);

  it('a stop ends a waiting run at once, its waiting node with it', async () => {
    const { runId } = await queued(signalWorkflow());
    await statusIs(runId, 'waiting');
    const link: string = (await nodeRun(runId, 'approval')).resume_url;
    const stopped = await post(`/v1/runs/${runId}/stop`, {});
    expect(stopped.status).toBe(200);
    expect(stopped.body.status).toBe('stopped');
    expect((await nodeRun(runId, 'approval')).status).toBe('stopped');
    expectProblem(await t.http.post(link).send({ payload: 1 }), 410, 'resume-link-gone');
    expectProblem(await post(`/v1/runs/${runId}/signals/approval`, { payload: 1 }), 409);
  }, 30_000);

  it('stopping a parent ends its parked child run', async () => {
    const child = await createWorkflow(t.http, signalWorkflow());
    const parent = {
      nodes: [
        { id: 'call', type: 'WorkflowNode', config: { workflow_id: child.id } },
        { id: 'out', type: 'OutputNode', config: { label: 'out' } },
      ],
      edges: [edge('call.output', 'out.value')],
    };
    const { runId } = await queued(parent);
    const childId = await waitFor(async () => {
      const rows = await db.query(`SELECT id FROM runs WHERE parent_run_id = $1 AND status = 'waiting'`, [runId]);
      return rows.rows[0]?.id as string | undefined;
    }, 10_000);
    expect((await post(`/v1/runs/${runId}/stop`, {})).status).toBeLessThan(300);
    expect((await finished(runId)).status).toBe('stopped');
    expect((await finished(childId)).status).toBe('stopped');
  }, 30_000);

  it("parked runs count toward their group's max_active_runs", async () => {
    const group = await newGroupWithKey(t.http, 'parked-quota');
    const patched = await t.http
      .patch(`/v1/groups/${group.groupId}`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ limits: { max_active_runs: 1 } });
    expect(patched.status).toBe(200);
    const workflow = await createWorkflow(t.http, signalWorkflow(), { key: group.key });
    const start = () =>
      t.http.post(`/v1/workflows/${workflow.id}/runs`).set('X-API-Key', group.key).send({ input: {} });
    const first = await start();
    expect(first.status).toBe(202);
    await waitFor(async () => {
      const run = await t.http.get(`/v1/runs/${first.body.id}`).set('X-API-Key', group.key);
      return run.body.status === 'waiting' || undefined;
    }, 10_000);
    expectProblem(await start(), 429, 'limit-exceeded/max_active_runs');
    // A sync run that may park is created like an async one, refused alike.
    const sync = await t.http
      .post(`/v1/workflows/${workflow.id}/runs/sync`)
      .set('X-API-Key', group.key)
      .send({ input: {} });
    expectProblem(sync, 429, 'limit-exceeded/max_active_runs');
  }, 30_000);

  it("a run's event stream stays open while it waits: node.waiting carries the resume link, and the stream goes on after it resumes", async () => {
    const { port } = t.app.getHttpServer().address() as { port: number };
    const { runId } = await queued(signalWorkflow());
    const stream = followEvents(
      `http://127.0.0.1:${port}/v1/runs/${runId}/events`,
      { 'X-API-Key': ADMIN_KEY },
      (events) => events.some((event) => event.event === 'run.completed'),
      15_000,
    );
    await stream.attached;
    await statusIs(runId, 'waiting');
    const link: string = (await nodeRun(runId, 'approval')).resume_url;
    expect((await t.http.post(link).send({ payload: 'ok' })).status).toBe(202);
    const { events } = await stream.collected;
    const waiting = events.find((event) => event.event === 'node.waiting')!;
    expect(waiting.data).toMatchObject({
      node_id: 'approval',
      signal: 'approval',
      waiting_until: null,
      resume_url: link,
    });
    expect(events.find((event) => event.event === 'run.waiting')!.data).toMatchObject({
      status: 'waiting',
      waits: [{ node_id: 'approval', signal: 'approval', waiting_until: null }],
    });
    expect(events.at(-1)!.data).toMatchObject({ status: 'completed' });
  }, 30_000);

  it('a repeated sync request with the same Idempotency-Key answers 202 with the same parked run at once', async () => {
    const workflow = await createWorkflow(t.http, signalWorkflow());
    const send = () =>
      t.http
        .post(`/v1/workflows/${workflow.id}/runs/sync`)
        .set('X-API-Key', ADMIN_KEY)
        .set('Idempotency-Key', 'park-once')
        .send({ input: {} });
    const first = await send();
    const started = Date.now();
    const second = await send();
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.body).toMatchObject({ id: first.body.id, status: 'waiting' });
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 30_000);
});
