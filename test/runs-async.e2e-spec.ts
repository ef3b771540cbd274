import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { readEventStream } from './support/sse.js';
import { waitFor } from './support/wait.js';
import { createWorkflow, SEED_DEFINITION } from './support/workflows.js';

const SLOW = {
  nodes: [
    { id: 'start', type: 'InputNode', config: { label: 'start', type: 'any', default: null } },
    { id: 'wait', type: 'DelayNode', config: { ms: 3000 } },
    { id: 'done', type: 'OutputNode', config: { label: 'done' } },
  ],
  edges: [
    { from: { node_id: 'start', output: 'value' }, to: { node_id: 'wait', input: 'value' } },
    { from: { node_id: 'wait', output: 'value' }, to: { node_id: 'done', input: 'value' } },
  ],
};

describe('async runs, stop, events and idempotency (one instance, ROLE=all)', () => {
  let t: TestApp;
  let base: string;
  let seed: { id: string };
  let slow: { id: string };
  const auth = { 'X-API-Key': ADMIN_KEY };
  const get = (path: string) => t.http.get(path).set(auth);
  const post = (path: string, body: object = {}) => t.http.post(path).set(auth).send(body);

  async function until(runId: string, done: (status: string) => boolean, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = (await get(`/v1/runs/${runId}`)).body;
      if (done(run.status) || Date.now() > deadline) return run;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const nodeStatus = async (runId: string, nodeId: string) =>
    (await get(`/v1/runs/${runId}/nodes`)).body.items.find((node: { node_id: string }) => node.node_id === nodeId)
      ?.status;

  beforeAll(async () => {
    t = await createTestApp({ SSE_HEARTBEAT_MS: '200' });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
    seed = await createWorkflow(t.http);
    slow = await createWorkflow(t.http, SLOW);
  });
  afterAll(() => t.close());

  it('POST …/runs answers 202 with the queued run and a Location; a worker completes it', async () => {
    const res = await post(`/v1/workflows/${seed.id}/runs`, { input: { 'User Question': 'async?' } });
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('queued');
    expect(res.headers.location).toBe(`/v1/workflows/${seed.id}/runs/${res.body.id}`);
    const run = await until(res.body.id, (status) => status === 'completed');
    expect(run).toMatchObject({ status: 'completed', output: { Answer: 'async? — ' }, progress: 100 });
  });

  it('a job queued by an earlier version, whose payload names only the run, still runs it', async () => {
    const first = await post(`/v1/workflows/${seed.id}/runs`, { input: { 'User Question': 'old job' } });
    await until(first.body.id, (status) => status === 'completed');
    const db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      const copy = await db.query<{ id: string }>(
        `INSERT INTO runs (id, group_id, workflow_id, definition, mode, input, status)
         SELECT gen_random_uuid(), group_id, workflow_id, definition, 'async', input, 'queued' FROM runs WHERE id = $1
         RETURNING id`,
        [first.body.id],
      );
      const runId = copy.rows[0]!.id;
      await db.query(`SELECT graphile_worker.add_job('execute_run', json_build_object('runId', $1::text))`, [runId]);
      expect(await until(runId, (status) => status === 'completed')).toMatchObject({
        output: { Answer: 'old job — ' },
      });
    } finally {
      await db.end();
    }
  });

  it('rejects the same bad bodies as the sync endpoint', async () => {
    const res = await post(`/v1/workflows/${seed.id}/runs`, { input: { Nope: 1 } });
    expect(res.status).toBe(422);
  });

  it('streams events: replay, live tail, Last-Event-ID resume, end after the final event', async () => {
    const created = await post(`/v1/workflows/${slow.id}/runs`, { input: {} });
    const live = await readEventStream(`${base}/v1/runs/${created.body.id}/events`, auth);
    expect(live.status).toBe(200);
    expect(live.contentType).toContain('text/event-stream');
    const types = live.events.map((e) => e.event);
    expect(types[0]).toBe('run.queued');
    expect(types).toContain('run.started');
    expect(types).toContain('node.started');
    expect(types.at(-1)).toBe('run.completed');
    expect(live.comments).toContain('heartbeat');
    const ids = live.events.map((e) => BigInt(e.id));
    expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual(ids);
    const completed = live.events.find((e) => e.event === 'node.completed' && e.data.node_id === 'wait')!;
    expect(completed.data).toMatchObject({ run_id: created.body.id, node_type: 'DelayNode', outputs: { value: null } });
    expect(completed.data.duration_ms).toBeGreaterThanOrEqual(2900);

    const resumed = await readEventStream(`${base}/v1/runs/${created.body.id}/events`, {
      ...auth,
      'Last-Event-ID': live.events[2].id,
    });
    expect(resumed.events.map((e) => e.id)).toEqual(live.events.slice(3).map((e) => e.id));
    const afterEnd = await readEventStream(`${base}/v1/runs/${created.body.id}/events`, {
      ...auth,
      'Last-Event-ID': live.events.at(-1)!.id,
    });
    expect(afterEnd.events).toEqual([]);
  }, 20_000);

  it('404s the event stream of an unknown run or another group', async () => {
    const group = await post('/v1/groups', { name: 'other' });
    const other = await createWorkflow(t.http, SEED_DEFINITION, { groupId: group.body.id });
    const run = await t.http
      .post(`/v1/workflows/${other.id}/runs/sync?group_id=${group.body.id}`)
      .set(auth)
      .send({ input: { 'User Question': 'x' } });
    expect((await readEventStream(`${base}/v1/runs/${run.body.id}/events`, auth)).status).toBe(404);
    expect((await readEventStream(`${base}/v1/runs/00000000-0000-4000-8000-000000000000/events`, auth)).status).toBe(
      404,
    );
  });

  it('stops a running run within a second or two: in-flight nodes aborted, 409 afterwards', async () => {
    const created = await post(`/v1/workflows/${slow.id}/runs`, { input: {} });
    await waitFor(async () => ((await nodeStatus(created.body.id, 'wait')) === 'running' ? true : undefined), 10_000);
    const started = Date.now();
    const stopped = await post(`/v1/runs/${created.body.id}/stop`);
    expect(stopped.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(stopped.body).toMatchObject({ status: 'stopped', output: null, error: null });
    const nodes = (await get(`/v1/runs/${created.body.id}/nodes`)).body.items;
    expect(nodes.find((n: { node_id: string }) => n.node_id === 'wait').status).toBe('stopped');
    expect(nodes.find((n: { node_id: string }) => n.node_id === 'done')).toBeUndefined();
    expect((await post(`/v1/runs/${created.body.id}/stop`)).status).toBe(409);
    const events = await readEventStream(`${base}/v1/runs/${created.body.id}/events`, auth);
    expect(events.events.at(-1)?.event).toBe('run.stopped');
  });

  it('stops a sync run from another request; the sync request answers 200 with the stopped run', async () => {
    const sync = post(`/v1/workflows/${slow.id}/runs/sync`, { input: {} }).then((r) => r);
    const runId = await waitFor(
      async () => (await get(`/v1/workflows/${slow.id}/runs?status=running`)).body.items[0]?.id as string | undefined,
      5_000,
    );
    expect((await post(`/v1/runs/${runId}/stop`)).body.status).toBe('stopped');
    const answer = await sync;
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('stopped');
  });

  it('404s stopping an unknown run', async () => {
    expect((await post('/v1/runs/00000000-0000-4000-8000-000000000000/stop')).status).toBe(404);
    expect((await post('/v1/runs/nope/stop')).status).toBe(404);
  });

  it('Idempotency-Key: same key and body → the same run, never a second; different body → 422', async () => {
    const key = `k-${Date.now()}`;
    const body = { input: { 'User Question': 'once' } };
    const first = await t.http.post(`/v1/workflows/${seed.id}/runs`).set(auth).set('Idempotency-Key', key).send(body);
    const second = await t.http.post(`/v1/workflows/${seed.id}/runs`).set(auth).set('Idempotency-Key', key).send(body);
    expect(first.status).toBe(202);
    expect(second.body.id).toBe(first.body.id);
    const different = await t.http
      .post(`/v1/workflows/${seed.id}/runs`)
      .set(auth)
      .set('Idempotency-Key', key)
      .send({ input: { 'User Question': 'twice' } });
    expect(different.status).toBe(422);
    expect(different.body.errors[0].field).toBe('Idempotency-Key');
    const bad = await t.http
      .post(`/v1/workflows/${seed.id}/runs`)
      .set(auth)
      .set('Idempotency-Key', 'has space')
      .send(body);
    expect(bad.status).toBe(422);
  });

  it('two concurrent sync requests with one key share one run and both get its result', async () => {
    const key = `race-${Date.now()}`;
    const body = { input: { 'User Question': 'race' } };
    const send = () =>
      t.http.post(`/v1/workflows/${seed.id}/runs/sync`).set(auth).set('Idempotency-Key', key).send(body);
    const answers = await Promise.all([send(), send(), send(), send()]);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.status).toBe('completed');
      expect(answer.body.output).toEqual({ Answer: 'race — ' });
    }
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    const all = await get(`/v1/workflows/${seed.id}/runs?page_size=100`);
    expect(
      all.body.items.filter((r: { input: { 'User Question': string } }) => r.input['User Question'] === 'race'),
    ).toHaveLength(1);
  });
});

describe('an API-only instance (ROLE=api, no worker)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ ROLE: 'api' });
  });
  afterAll(() => t.close());

  it('leaves async runs queued for a worker, and stops a queued run at once', async () => {
    const seed = await createWorkflow(t.http);
    const created = await t.http
      .post(`/v1/workflows/${seed.id}/runs`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ input: { 'User Question': 'later' } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await t.http.get(`/v1/runs/${created.body.id}`).set('X-API-Key', ADMIN_KEY)).body.status).toBe('queued');
    const stopped = await t.http.post(`/v1/runs/${created.body.id}/stop`).set('X-API-Key', ADMIN_KEY);
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({ status: 'stopped', started_at: null });
    expect(stopped.body.finished_at).not.toBeNull();
  });

  it('writes creations that arrive together (one statement for many) each as it was asked, with its own events', async () => {
    const seed = await createWorkflow(t.http);
    const asked = Array.from({ length: 12 }, (_, i) => ({
      input: { 'User Question': `together ${i}`, Context: i % 2 ? `plain ${i}` : `"quoted" \\ ${i} é` },
      metadata: { index: String(i) },
      tracing: i % 3 === 0,
    }));
    const created = await Promise.all(
      asked.map((body) => t.http.post(`/v1/workflows/${seed.id}/runs`).set('X-API-Key', ADMIN_KEY).send(body)),
    );
    for (const [i, res] of created.entries()) {
      expect(res.status).toBe(202);
      const run = (await t.http.get(`/v1/runs/${res.body.id}`).set('X-API-Key', ADMIN_KEY)).body;
      expect(run).toMatchObject({ status: 'queued', input: asked[i].input, metadata: asked[i].metadata });
      expect(run.trace_id === null).toBe(!asked[i].tracing);
    }
    const db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      const events = await db.query<{ run_id: string; types: string[] }>(
        `SELECT run_id, array_agg(type ORDER BY id) AS types FROM run_events WHERE run_id = ANY($1::uuid[]) GROUP BY run_id`,
        [created.map((res) => res.body.id)],
      );
      expect(events.rows).toHaveLength(asked.length);
      for (const row of events.rows) expect(row.types).toEqual(['run.queued']);
    } finally {
      await db.end();
    }
  });
});
