import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newGroupWithKey } from './support/groups.js';
import { readEventStream } from './support/sse.js';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';
import { WebhookReceiver } from './support/webhook-receiver.js';
import { CHECKED_RETRY_WITH_NEW_X, CHECKED_WORKFLOW, createWorkflow, edge } from './support/workflows.js';

/** question → fetch (HTTP /context) → summarise (HTTP /llm, fails on an error status) → answer. */
const llmWorkflow = (receiver: WebhookReceiver) => ({
  nodes: [
    { id: 'question', type: 'InputNode', config: { label: 'question' } },
    { id: 'fetch', type: 'HttpRequestNode', config: { method: 'POST', url: receiver.url('/context'), body: '((q))' } },
    {
      id: 'summarise',
      type: 'HttpRequestNode',
      config: { method: 'POST', url: receiver.url('/llm'), body: 'context status ((s))', fail_on_error_status: true },
    },
    { id: 'answer', type: 'OutputNode', config: { label: 'answer' } },
  ],
  edges: [
    edge('question.value', 'fetch.q'),
    edge('fetch.status', 'summarise.s'),
    edge('summarise.body', 'answer.value'),
  ],
});

/** item → prep (HTTP /prep) → call (HTTP /item, fails on an error status) → out: the child workflow of a map. */
const itemWorkflow = (receiver: WebhookReceiver) => ({
  nodes: [
    { id: 'item', type: 'InputNode', config: { label: 'item' } },
    { id: 'prep', type: 'HttpRequestNode', config: { method: 'POST', url: receiver.url('/prep'), body: '((i))' } },
    {
      id: 'call',
      type: 'HttpRequestNode',
      config: {
        method: 'POST',
        url: receiver.url('/item'),
        body: '((i))',
        headers: { 'X-Prep-Status': '((s))' },
        fail_on_error_status: true,
      },
    },
    { id: 'out', type: 'OutputNode', config: { label: 'out' } },
  ],
  edges: [
    edge('item.value', 'prep.i'),
    edge('prep.status', 'call.s'),
    edge('item.value', 'call.i'),
    edge('call.body', 'out.value'),
  ],
});

const mapWorkflow = (childId: string) => ({
  nodes: [
    { id: 'items', type: 'InputNode', config: { label: 'items', type: 'list' } },
    { id: 'each', type: 'MapNode', config: { workflow_id: childId, concurrency: 1 } },
    { id: 'results', type: 'OutputNode', config: { label: 'results' } },
  ],
  edges: [edge('items.value', 'each.items'), edge('each.results', 'results.value')],
});

interface NodeRun {
  node_id: string;
  status: string;
  reused_from: string | null;
  attempt: number;
}

describe('retrying and replaying runs', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  const post = (path: string, body: object = {}, key = ADMIN_KEY) => t.http.post(path).set('X-API-Key', key).send(body);
  const get = (path: string, key = ADMIN_KEY) => t.http.get(path).set('X-API-Key', key);
  const statuses = async (runId: string) => {
    const nodes = (await get(`/v1/runs/${runId}/nodes`)).body.items as NodeRun[];
    return Object.fromEntries(nodes.map((node) => [node.node_id, node.status]));
  };
  const finished = (runId: string) =>
    waitFor(async () => {
      const run = (await get(`/v1/runs/${runId}`)).body;
      return ['completed', 'failed', 'stopped'].includes(run.status) ? run : undefined;
    }, 15_000);

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    // The provider is down for the first call, and answers from then on.
    receiver.respond('/llm', (_request, index) =>
      index === 0 ? { status: 503, body: 'overloaded' } : { status: 200, body: 'an answer' },
    );
    // Item "b" fails the first time it is called.
    receiver.respond('/item', (request) =>
      request.body === 'b' && receiver.on('/item').filter((r) => r.body === 'b').length === 1
        ? { status: 500 }
        : { status: 200, body: `done ${request.body}` },
    );
    t = await createTestApp({ OUTBOUND_ALLOW_PRIVATE: 'true' });
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it('retries from the failed node: the completed nodes are reused, not called again', async () => {
    const workflow = await createWorkflow(t.http, llmWorkflow(receiver));
    const failed = await post(`/v1/workflows/${workflow.id}/runs/sync`, {
      input: { question: 'why?' },
      metadata: { customer: 'acme' },
    });
    expect(failed.body).toMatchObject({ status: 'failed', error: { node_id: 'summarise' } });
    expect(receiver.on('/context')).toHaveLength(1);

    const retried = await post(`/v1/runs/${failed.body.id}/retry?mode=sync`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({
      status: 'completed',
      retry_of: failed.body.id,
      replay_of: null,
      input: { question: 'why?' },
      metadata: { customer: 'acme' },
      output: { answer: 'an answer' },
    });
    expect(receiver.on('/context')).toHaveLength(1);
    expect(receiver.on('/llm')).toHaveLength(2);
    const nodes = (await get(`/v1/runs/${retried.body.id}/nodes`)).body.items as NodeRun[];
    const byId = Object.fromEntries(nodes.map((node) => [node.node_id, node]));
    expect(byId.question).toMatchObject({ status: 'reused', reused_from: failed.body.id, attempt: 0 });
    expect(byId.fetch).toMatchObject({ status: 'reused', reused_from: failed.body.id });
    expect(byId.summarise).toMatchObject({ status: 'completed', reused_from: null });
    expect(byId.answer).toMatchObject({ status: 'completed' });

    // A replay is new work: every node executes again.
    const replayed = await post(`/v1/runs/${retried.body.id}/replay?mode=sync`);
    expect(replayed.status).toBe(200);
    expect(replayed.body).toMatchObject({
      status: 'completed',
      replay_of: retried.body.id,
      retry_of: null,
      metadata: { customer: 'acme' },
    });
    expect(receiver.on('/context')).toHaveLength(2);
    // The retry resent the failed call under its key, so the provider can deduplicate; the replay is new work.
    const llmKeys = receiver.on('/llm').map((request) => request.headers['idempotency-key']);
    expect(llmKeys).toHaveLength(3);
    expect(llmKeys[1]).toBe(llmKeys[0]);
    expect(llmKeys[2]).not.toBe(llmKeys[0]);
    expect(Object.values(await statuses(replayed.body.id))).toEqual([
      'completed',
      'completed',
      'completed',
      'completed',
    ]);
  });

  it('runs a changed input, a forced node and a changed node again with what is downstream, nothing else', async () => {
    const workflow = await createWorkflow(t.http, CHECKED_WORKFLOW);
    const source = await post(`/v1/workflows/${workflow.id}/runs/sync`, { input: { x: 'bad' } });
    expect(source.body).toMatchObject({ status: 'failed', error: { node_id: 'check' } });

    // x changed: x, b, joined, check and out run again; y and d are reused.
    const newInput = await post(`/v1/runs/${source.body.id}/retry?mode=sync`, { input: { x: 'good' } });
    expect(newInput.body).toMatchObject({ status: 'completed', output: { out: 'good-b+Y-d' }, input: { x: 'good' } });
    expect(await statuses(newInput.body.id)).toEqual(CHECKED_RETRY_WITH_NEW_X);

    // from_node_ids forces d (and what follows it) to run again too.
    const forced = await post(`/v1/runs/${source.body.id}/retry?mode=sync`, {
      input: { x: 'good' },
      from_node_ids: ['d'],
    });
    expect(forced.body.status).toBe('completed');
    expect(await statuses(forced.body.id)).toMatchObject({ y: 'reused', d: 'completed', b: 'completed' });

    // The draft's fix: only the changed node and what is downstream of it run again.
    const fixed = structuredClone(CHECKED_WORKFLOW);
    fixed.nodes.find((node) => node.id === 'check')!.config = { expression: "$replace($, 'bad', 'ok')" };
    expect(
      (await t.http.patch(`/v1/workflows/${workflow.id}`).set('X-API-Key', ADMIN_KEY).send({ definition: fixed }))
        .status,
    ).toBe(200);
    const onDraft = await post(`/v1/runs/${source.body.id}/retry?mode=sync`, { definition: 'current_draft' });
    expect(onDraft.body).toMatchObject({ status: 'completed', output: { out: 'ok-b+Y-d' }, workflow_version_id: null });
    expect(await statuses(onDraft.body.id)).toEqual({
      x: 'reused',
      y: 'reused',
      b: 'reused',
      d: 'reused',
      joined: 'reused',
      check: 'completed',
      out: 'completed',
    });
    // Without `definition` a retry runs the definition the source ran: it fails again at check.
    const same = await post(`/v1/runs/${source.body.id}/retry?mode=sync`);
    expect(same.body).toMatchObject({ status: 'failed', error: { node_id: 'check' } });

    // A retry of a retry takes over what the first run executed, naming that run.
    const again = await post(`/v1/runs/${same.body.id}/retry?mode=sync`, { input: { x: 'fine' } });
    const nodes = (await get(`/v1/runs/${again.body.id}/nodes`)).body.items as NodeRun[];
    expect(nodes.find((node) => node.node_id === 'd')).toMatchObject({ status: 'reused', reused_from: source.body.id });
  });

  it('queues an async retry that a worker executes with the reused nodes', async () => {
    const workflow = await createWorkflow(t.http, CHECKED_WORKFLOW);
    const source = await post(`/v1/workflows/${workflow.id}/runs/sync`, { input: { x: 'bad', y: 'z' } });
    const queued = await post(`/v1/runs/${source.body.id}/retry`, { input: { x: 'fine' } });
    expect(queued.status).toBe(202);
    expect(queued.headers.location).toBe(`/v1/workflows/${workflow.id}/runs/${queued.body.id}`);
    expect(queued.body).toMatchObject({ retry_of: source.body.id });
    const run = await finished(queued.body.id);
    expect(run).toMatchObject({ status: 'completed', output: { out: 'fine-b+z-d' } });
    expect(await statuses(run.id)).toMatchObject({ y: 'reused', d: 'reused', b: 'completed' });
  });

  it('retries a map: completed items are taken over, the failed one and those after it run', async () => {
    const child = await createWorkflow(t.http, itemWorkflow(receiver), { name: 'item' });
    const workflow = await createWorkflow(t.http, mapWorkflow(child.id));
    const source = await post(`/v1/workflows/${workflow.id}/runs/sync`, { input: { items: ['a', 'b', 'c'] } });
    expect(source.body).toMatchObject({ status: 'failed', error: { node_id: 'each' } });
    const calls = (item: string) => receiver.on('/item').filter((request) => request.body === item).length;
    expect([calls('a'), calls('b'), calls('c')]).toEqual([1, 1, 0]);

    const retried = await post(`/v1/runs/${source.body.id}/retry?mode=sync`);
    expect(retried.body).toMatchObject({
      status: 'completed',
      output: { results: [{ out: 'done a' }, { out: 'done b' }, { out: 'done c' }] },
    });
    expect([calls('a'), calls('b'), calls('c')]).toEqual([1, 2, 1]);
    // Item b's failed child is retried in turn: its prep call is taken over, not made again.
    const preps = (item: string) => receiver.on('/prep').filter((request) => request.body === item).length;
    expect([preps('a'), preps('b'), preps('c')]).toEqual([1, 1, 1]);
    const listChildren = async (parent: string) =>
      (await get(`/v1/workflows/${child.id}/runs?parent_run_id=${parent}`)).body.items as {
        id: string;
        parent_item_index: number;
        retry_of: string | null;
      }[];
    const sourceChildren = await listChildren(source.body.id);
    const children = await listChildren(retried.body.id);
    // Items b and c are new child runs of the retry; item a's is the source's.
    expect(children.map((run) => run.parent_item_index).sort()).toEqual([1, 2]);
    const failedB = sourceChildren.find((run) => run.parent_item_index === 1)!;
    const retriedB = children.find((run) => run.parent_item_index === 1)!;
    expect(retriedB.retry_of).toBe(failedB.id);
    expect(children.find((run) => run.parent_item_index === 2)!.retry_of).toBeNull();
    expect(await statuses(retriedB.id)).toEqual({
      item: 'reused',
      prep: 'reused',
      call: 'completed',
      out: 'completed',
    });
  });

  it('answers an Idempotency-Key repeat with the same retry', async () => {
    const workflow = await createWorkflow(t.http, CHECKED_WORKFLOW);
    const source = await post(`/v1/workflows/${workflow.id}/runs/sync`, { input: { x: 'bad' } });
    const send = (body: object) =>
      t.http
        .post(`/v1/runs/${source.body.id}/retry`)
        .set('X-API-Key', ADMIN_KEY)
        .set('Idempotency-Key', 'retry-1')
        .send(body);
    const first = await send({ input: { x: 'ok' } });
    const second = await send({ input: { x: 'ok' } });
    expect(second.body.id).toBe(first.body.id);
    const different = await send({ input: { x: 'other' } });
    expect(different.status).toBe(422);
  });

  it('refuses what cannot be retried or replayed with a problem', async () => {
    const workflow = await createWorkflow(t.http, CHECKED_WORKFLOW);
    const completed = await post(`/v1/workflows/${workflow.id}/runs/sync`, { input: { x: 'ok' } });
    const failed = await post(`/v1/workflows/${workflow.id}/runs/sync`, { input: { x: 'bad' } });

    const notFailed = await post(`/v1/runs/${completed.body.id}/retry`);
    expect(notFailed.status).toBe(409);
    expect(notFailed.headers['content-type']).toContain('application/problem+json');
    expect(notFailed.body).toMatchObject({ run_status: 'completed' });

    const missing = await post('/v1/runs/00000000-0000-4000-8000-000000000000/retry');
    expect(missing.status).toBe(404);
    const otherGroup = await newGroupWithKey(t.http, 'other');
    expect((await post(`/v1/runs/${failed.body.id}/retry`, {}, otherGroup.key)).status).toBe(404);
    expect((await post(`/v1/runs/${failed.body.id}/replay`, {}, otherGroup.key)).status).toBe(404);

    const bad = async (path: string, body: object, field: string) => {
      const res = await post(path, body);
      expect(res.status).toBe(422);
      expect(res.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    };
    const retry = `/v1/runs/${failed.body.id}/retry`;
    await bad(retry, { from_node_ids: ['nope'] }, 'from_node_ids');
    await bad(retry, { from_node_ids: [] }, 'from_node_ids');
    await bad(
      retry,
      { definition: 'current_draft', workflow_version_id: '00000000-0000-4000-8000-000000000000' },
      'definition',
    );
    await bad(retry, { definition: 'latest' }, 'definition');
    await bad(retry, { input: { x: 3 } }, 'input.x');
    await bad(retry, { input: { unknown: 'value' } }, 'input.unknown');
    await bad(retry, { metadata: { 'Not OK': 'x' } }, 'metadata');
    await bad(retry, { surprise: true }, 'surprise');
    await bad(`${retry}?mode=later`, {}, 'mode');
    await bad(`/v1/runs/${failed.body.id}/replay`, { from_node_ids: ['b'] }, 'from_node_ids');
    const noVersion = await post(retry, { workflow_version_id: '00000000-0000-4000-8000-000000000000' });
    expect(noVersion.status).toBe(404);

    // A replay takes any finished run, the completed one too, and keeps its input.
    const replayed = await post(`/v1/runs/${completed.body.id}/replay?mode=sync`, { metadata: { why: 'again' } });
    expect(replayed.body).toMatchObject({ status: 'completed', input: { x: 'ok' }, metadata: { why: 'again' } });
  });
});

describe('run metadata', () => {
  let t: TestApp;
  let workflowId: string;
  let base: string;
  let callbacks: WebhookReceiver;
  const post = (path: string, body: object) => t.http.post(path).set('X-API-Key', ADMIN_KEY).send(body);

  beforeAll(async () => {
    callbacks = await WebhookReceiver.start();
    t = await createTestApp({ OUTBOUND_ALLOW_PRIVATE: 'true' });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
    workflowId = (await createWorkflow(t.http, CHECKED_WORKFLOW)).id;
  });
  afterAll(async () => {
    await t.close();
    await callbacks.close();
  });

  it('is stored on sync and async runs, returned on them, in their callbacks and in their events', async () => {
    const metadata = { customer: 'acme', 'order.id': 'o-1', ticket_no: '42' };
    const sync = await post(`/v1/workflows/${workflowId}/runs/sync`, {
      input: { x: 'ok' },
      metadata,
      callback_url: callbacks.url('/finished'),
    });
    expect(sync.body).toMatchObject({ status: 'completed', metadata });
    const queued = await post(`/v1/workflows/${workflowId}/runs`, { input: { x: 'ok' }, metadata });
    expect(queued.body.metadata).toEqual(metadata);
    const plain = await post(`/v1/workflows/${workflowId}/runs/sync`, { input: { x: 'ok' } });
    expect(plain.body.metadata).toEqual({});

    const stream = await readEventStream(`${base}/v1/runs/${sync.body.id}/events`, { 'X-API-Key': ADMIN_KEY });
    const byType = Object.fromEntries(stream.events.map((event) => [event.event, event.data]));
    expect(byType['run.queued']).toMatchObject({ metadata });
    expect(byType['run.completed']).toMatchObject({ metadata });

    const [callback] = await callbacks.waitFor('/finished', 1);
    expect(JSON.parse(callback.body)).toMatchObject({ type: 'run.completed', data: { id: sync.body.id, metadata } });
  });

  it('is given by a schedule to the runs it starts', async () => {
    const schedule = await post(`/v1/workflows/${workflowId}/schedules`, {
      cron: '* * * * * *',
      input: { x: 'ok' },
      metadata: { source: 'nightly' },
    });
    expect(schedule.status).toBe(201);
    expect(schedule.body.metadata).toEqual({ source: 'nightly' });
    const run = await waitFor(async () => {
      const runs = await t.http.get(`/v1/workflows/${workflowId}/runs?page_size=100`).set('X-API-Key', ADMIN_KEY);
      return runs.body.items.find((item: { schedule_id: string }) => item.schedule_id === schedule.body.id);
    }, 5_000);
    expect(run.metadata).toEqual({ source: 'nightly' });
    const cleared = await t.http
      .patch(`/v1/workflows/${workflowId}/schedules/${schedule.body.id}`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ metadata: null, enabled: false });
    expect(cleared.body.metadata).toEqual({});
  });

  it.each([
    ['too many keys', Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v']))],
    ['an upper-case key', { Customer: 'acme' }],
    ['a key too long', { ['k'.repeat(65)]: 'v' }],
    ['an empty key', { '': 'v' }],
    ['a number value', { customer: 7 }],
    ['a nested value', { customer: { name: 'acme' } }],
    ['a value too long', { customer: 'x'.repeat(257) }],
    ['an array', ['customer']],
    ['a string', 'customer=acme'],
  ])('refuses %s with a 422 naming metadata', async (_what, metadata) => {
    for (const path of [`/v1/workflows/${workflowId}/runs/sync`, `/v1/workflows/${workflowId}/runs`]) {
      const res = await post(path, { input: { x: 'ok' }, metadata });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'metadata' })]);
    }
    const schedule = await post(`/v1/workflows/${workflowId}/schedules`, { cron: '0 0 * * *', input: {}, metadata });
    expect(schedule.status).toBe(422);
  });
});
