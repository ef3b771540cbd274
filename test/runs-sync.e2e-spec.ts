import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { createWorkflow, SEED_DEFINITION } from './support/workflows.js';
import { storedEvents } from './support/stored-events.js';

const BRANCHING = {
  nodes: [
    { id: 'n', type: 'InputNode', config: { label: 'n', type: 'int' } },
    { id: 'big', type: 'ConditionNode', config: { expression: '$ > 10' } },
    { id: 'double', type: 'TransformNode', config: { expression: '$ * 2' } },
    { id: 'reject', type: 'FailNode', config: { message: 'too small: ((v))' } },
    { id: 'out', type: 'OutputNode', config: { label: 'Result' } },
  ],
  edges: [
    { from: { node_id: 'n', output: 'value' }, to: { node_id: 'big', input: 'value' } },
    { from: { node_id: 'big', output: 'true' }, to: { node_id: 'double', input: 'data' } },
    { from: { node_id: 'big', output: 'false' }, to: { node_id: 'reject', input: 'v' } },
    { from: { node_id: 'double', output: 'result' }, to: { node_id: 'out', input: 'value' } },
  ],
};

const TYPED = {
  nodes: [
    { id: 'i', type: 'InputNode', config: { label: 'count', type: 'int' } },
    { id: 'f', type: 'InputNode', config: { label: 'ratio', type: 'float' } },
    { id: 'b', type: 'InputNode', config: { label: 'flag', type: 'bool' } },
    { id: 'd', type: 'InputNode', config: { label: 'meta', type: 'dict' } },
    { id: 'l', type: 'InputNode', config: { label: 'tags', type: 'list' } },
    { id: 'a', type: 'InputNode', config: { label: 'anything', type: 'any', default: null } },
    { id: 'o', type: 'OutputNode', config: { label: 'count' } },
  ],
  edges: [{ from: { node_id: 'i', output: 'value' }, to: { node_id: 'o', input: 'value' } }],
};

describe('POST /v1/workflows/{workflow_id}/runs/sync', () => {
  let t: TestApp;
  let seed: { id: string };
  let db: pg.Client;
  const sync = (workflowId: string, body: unknown, query = '') =>
    t.http
      .post(`/v1/workflows/${workflowId}/runs/sync${query}`)
      .set('X-API-Key', ADMIN_KEY)
      .send(body as object);
  const get = (path: string) => t.http.get(path).set('X-API-Key', ADMIN_KEY);

  beforeAll(async () => {
    t = await createTestApp();
    seed = await createWorkflow(t.http);
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  it('completes with 200 and a final run object, persisted with node runs and events', async () => {
    const res = await sync(seed.id, { input: { 'User Question': 'What is a DAG?', Context: 'graphs' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      group_id: t.defaultGroupId,
      workflow_id: seed.id,
      workflow_version_id: null,
      status: 'completed',
      input: { 'User Question': 'What is a DAG?', Context: 'graphs' },
      output: { Answer: 'What is a DAG? — graphs' },
      error: null,
      node_ids: null,
      single_node_id: null,
      tracing: false,
      trace_id: null,
      debugger: null,
      callback_url: null,
      progress: 100,
    });
    expect(Date.parse(res.body.finished_at)).toBeGreaterThanOrEqual(Date.parse(res.body.started_at));
    expect(await get(`/v1/runs/${res.body.id}`).then((r) => r.body)).toEqual(res.body);
    expect(await get(`/v1/workflows/${seed.id}/runs/${res.body.id}`).then((r) => r.body)).toEqual(res.body);

    const nodes = await get(`/v1/runs/${res.body.id}/nodes`);
    expect(nodes.status).toBe(200);
    const byId = Object.fromEntries(nodes.body.items.map((n: { node_id: string }) => [n.node_id, n]));
    expect(Object.keys(byId).sort()).toEqual(['answer', 'context', 'prompt', 'question']);
    expect(byId.prompt).toMatchObject({
      node_type: 'TextTemplateNode',
      status: 'completed',
      inputs: { q: 'What is a DAG?', c: 'graphs' },
      outputs: { text: 'What is a DAG? — graphs' },
      attempt: 1,
    });
    const types = (await storedEvents(db, res.body.id)).map((e) => e.type);
    expect(types[0]).toBe('run.queued');
    expect(types[1]).toBe('run.started');
    expect(types.at(-1)).toBe('run.completed');
    expect(types.filter((type) => type === 'node.completed')).toHaveLength(4);
    expect(types.indexOf('node.started')).toBeLessThan(types.indexOf('node.completed'));
  });

  it('uses an InputNode default, and accepts node ids as input keys', async () => {
    const res = await sync(seed.id, { input: { question: 'by id' } });
    expect(res.status).toBe(200);
    expect(res.body.output).toEqual({ Answer: 'by id — ' });
  });

  it('output_only returns just the output; use_output_ids keys it by node id', async () => {
    const only = await sync(seed.id, { input: { 'User Question': 'q' } }, '?output_only=true');
    expect(only.status).toBe(200);
    expect(only.body).toEqual({ Answer: 'q — ' });
    const byIds = await sync(seed.id, { input: { 'User Question': 'q' } }, '?output_only=true&use_output_ids=true');
    expect(byIds.body).toEqual({ answer: 'q — ' });
    const full = await sync(seed.id, { input: { 'User Question': 'q' } }, '?use_output_ids=1');
    expect(full.body.output).toEqual({ answer: 'q — ' });
    const bad = await sync(seed.id, { input: {} }, '?output_only=maybe');
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('output_only');
  });

  it.each([
    [
      { input: { 'User Question': 'x', Nope: 1 } },
      'input.Nope',
      /unknown input "Nope"; valid keys: .*User Question.*Context/,
    ],
    [{ input: {} }, 'input.User Question', /missing input "User Question"/],
    [{ input: { 'User Question': 42 } }, 'input.User Question', /str/],
    [{ input: 'text' }, 'input', /object/],
    [{ input: [] }, 'input', /object/],
    [{}, 'input', /object/],
    [{ input: {}, surprise: true }, 'surprise', /should not exist/],
    [{ input: { 'User Question': 'x' }, node_ids: ['ghost'] }, 'node_ids[0]', /ghost/],
    [{ input: { 'User Question': 'x' }, node_ids: [] }, 'node_ids', /node_ids/],
    [{ input: { 'User Question': 'x' }, node_ids: 'answer' }, 'node_ids', /array/],
    [{ input: {}, single_node_id: 'ghost' }, 'single_node_id', /ghost/],
    [{ input: {}, single_node_id: 'prompt', node_ids: ['prompt'] }, 'single_node_id', /node_ids/],
    [{ input: { q: 'only q' }, single_node_id: 'prompt' }, 'input.c', /c/],
    [{ input: { 'User Question': 'x' }, workflow_version_id: 'v1' }, 'workflow_version_id', /UUID/],
    [{ input: { 'User Question': 'x' }, tracing: 'yes' }, 'tracing', /boolean/],
    [{ input: { 'User Question': 'x' }, debugger: 'has spaces' }, 'debugger', /debugger/],
    [{ input: { 'User Question': 'x' }, callback_url: 'ftp://example.com/hook' }, 'callback_url', /http/],
    [{ input: { 'User Question': 'x' }, callback_url: 'not a url' }, 'callback_url', /http/],
    [{ input: { 'User Question': 'x' }, callback_url: '' }, 'callback_url', /callback_url/],
    [
      { input: { 'User Question': 'x' }, callback_url: `https://example.com/${'a'.repeat(2100)}` },
      'callback_url',
      /2083/,
    ],
    [{ input: { 'User Question': 'x' }, group_id: 'not-a-uuid' }, 'group_id', /UUID/],
  ])('422 for a body with a bad %#: %s', async (body, field, message) => {
    const before = await db.query('SELECT count(*)::int AS n FROM runs');
    const res = await sync(seed.id, body);
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const messages = (res.body.errors as { field: string; message: string }[])
      .filter((e) => e.field === field)
      .map((e) => e.message);
    expect(messages.some((text) => message.test(text))).toBe(true);
    const after = await db.query('SELECT count(*)::int AS n FROM runs');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('checks every InputNode type', async () => {
    const typed = await createWorkflow(t.http, TYPED);
    const good = { count: 3, ratio: 0.5, flag: true, meta: { a: 1 }, tags: ['x'] };
    expect((await sync(typed.id, { input: good })).body.output).toEqual({ count: 3 });
    const bad = await sync(typed.id, { input: { count: 1.5, ratio: '0.5', flag: 'true', meta: [], tags: {} } });
    expect(bad.status).toBe(422);
    expect((bad.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(
      ['input.count', 'input.flag', 'input.meta', 'input.ratio', 'input.tags'].sort(),
    );
    expect((await sync(typed.id, { input: { ...good, ratio: 2 } })).status).toBe(200);
  });

  it('node_ids runs the listed nodes and their upstream only; non-output nodes report under their id', async () => {
    const res = await sync(seed.id, { input: { 'User Question': 'sub' }, node_ids: ['prompt'] });
    expect(res.status).toBe(200);
    expect(res.body.node_ids).toEqual(['prompt']);
    expect(res.body.output).toEqual({ prompt: { text: 'sub — ' } });
    const nodes = await get(`/v1/runs/${res.body.id}/nodes`);
    expect(nodes.body.items.map((n: { node_id: string }) => n.node_id).sort()).toEqual([
      'context',
      'prompt',
      'question',
    ]);
  });

  it('single_node_id runs one node on connector-named input', async () => {
    const res = await sync(seed.id, { input: { q: 'alone', c: 'ctx' }, single_node_id: 'prompt' });
    expect(res.status).toBe(200);
    expect(res.body.single_node_id).toBe('prompt');
    expect(res.body.output).toEqual({ text: 'alone — ctx' });
    const nodes = await get(`/v1/runs/${res.body.id}/nodes`);
    expect(nodes.body.items).toHaveLength(1);
  });

  it('a failed run answers 200 with the run, or 424 problem+json with output_only', async () => {
    const branching = await createWorkflow(t.http, BRANCHING);
    const ok = await sync(branching.id, { input: { n: 21 } });
    expect(ok.body.output).toEqual({ Result: 42 });
    const skipped = await get(`/v1/runs/${ok.body.id}/nodes`);
    expect(skipped.body.items.find((n: { node_id: string }) => n.node_id === 'reject').status).toBe('skipped');

    const failed = await sync(branching.id, { input: { n: 3 } });
    expect(failed.status).toBe(200);
    expect(failed.body.status).toBe('failed');
    expect(failed.body.output).toBeNull();
    expect(failed.body.error).toEqual({ node_id: 'reject', message: 'too small: 3', type: 'fail_node' });
    expect(failed.body.finished_at).not.toBeNull();

    const only = await sync(branching.id, { input: { n: 3 } }, '?output_only=true');
    expect(only.status).toBe(424);
    expect(only.headers['content-type']).toContain('application/problem+json');
    expect(only.body).toMatchObject({
      status: 424,
      run_status: 'failed',
      error: { node_id: 'reject', message: 'too small: 3', type: 'fail_node' },
    });
    expect((await get(`/v1/runs/${only.body.run_id}`)).body.status).toBe('failed');
  });

  it('stores tracing, debugger and callback_url as given', async () => {
    const res = await sync(seed.id, {
      input: { 'User Question': 'x' },
      tracing: true,
      debugger: 'session-1',
      callback_url: 'https://hooks.example.com/runloom?x=1',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      tracing: true,
      debugger: 'session-1',
      callback_url: 'https://hooks.example.com/runloom?x=1',
    });
  });

  it('runs a version exactly, and records the definition each run executed', async () => {
    const wf = await createWorkflow(t.http);
    const version = await t.http.post(`/v1/workflows/${wf.id}/versions`).set('X-API-Key', ADMIN_KEY).send({});
    expect(version.status).toBe(201);
    const changed = structuredClone(SEED_DEFINITION);
    changed.nodes[2].config = { template: 'draft says ((q))' } as never;
    changed.edges = changed.edges.filter((e) => e.from.node_id !== 'context');
    const patch = await t.http
      .patch(`/v1/workflows/${wf.id}`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ definition: changed });
    expect(patch.status).toBe(200);

    const onVersion = await sync(wf.id, { input: { 'User Question': 'v' }, workflow_version_id: version.body.id });
    expect(onVersion.body).toMatchObject({ workflow_version_id: version.body.id, output: { Answer: 'v — ' } });
    const onDraft = await sync(wf.id, { input: { 'User Question': 'v' } });
    expect(onDraft.body).toMatchObject({ workflow_version_id: null, output: { Answer: 'draft says v' } });

    const stored = await db.query('SELECT id, definition FROM runs WHERE id = ANY($1)', [
      [onVersion.body.id, onDraft.body.id],
    ]);
    const definitionOf = (id: string) => stored.rows.find((r) => r.id === id).definition;
    expect(definitionOf(onVersion.body.id)).toEqual(SEED_DEFINITION);
    expect(definitionOf(onDraft.body.id)).toEqual(changed);

    const other = await createWorkflow(t.http);
    const foreignVersion = await sync(other.id, {
      input: { 'User Question': 'v' },
      workflow_version_id: version.body.id,
    });
    expect(foreignVersion.status).toBe(404);
    const unknown = await sync(wf.id, { input: {}, workflow_version_id: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(404);
  });

  it('404s unknown and deleted workflows; runs of a deleted workflow stay readable', async () => {
    expect((await sync('00000000-0000-4000-8000-000000000000', { input: {} })).status).toBe(404);
    expect((await sync('nope', { input: {} })).status).toBe(404);
    const wf = await createWorkflow(t.http);
    const run = await sync(wf.id, { input: { 'User Question': 'x' } });
    expect((await t.http.delete(`/v1/workflows/${wf.id}`).set('X-API-Key', ADMIN_KEY)).status).toBe(204);
    expect((await sync(wf.id, { input: { 'User Question': 'x' } })).status).toBe(404);
    expect((await get(`/v1/runs/${run.body.id}`)).body.status).toBe('completed');
  });

  it('runs in another allowed group with body group_id; a foreign group is 403', async () => {
    const group = await t.http.post('/v1/groups').set('X-API-Key', ADMIN_KEY).send({ name: 'second' });
    const member = await t.http
      .post('/v1/api-keys')
      .set('X-API-Key', ADMIN_KEY)
      .send({ name: 'm', role: 'member', group_ids: [t.defaultGroupId] });
    const wf = await createWorkflow(t.http, SEED_DEFINITION, { groupId: group.body.id });
    const res = await sync(wf.id, { input: { 'User Question': 'g' }, group_id: group.body.id });
    expect(res.status).toBe(200);
    expect(res.body.group_id).toBe(group.body.id);
    expect((await sync(wf.id, { input: { 'User Question': 'g' } })).status).toBe(404);
    const foreign = await t.http
      .post(`/v1/workflows/${wf.id}/runs/sync`)
      .set('X-API-Key', member.body.key)
      .send({ input: { 'User Question': 'g' }, group_id: group.body.id });
    expect(foreign.status).toBe(403);
    expect((await get(`/v1/runs/${res.body.id}`)).status).toBe(404);
    expect((await get(`/v1/runs/${res.body.id}?group_id=${group.body.id}`)).status).toBe(200);
  });

  it('lists runs newest first, filtered by status and paginated', async () => {
    const wf = await createWorkflow(t.http, BRANCHING);
    const ids: string[] = [];
    for (const n of [20, 1, 30]) ids.push((await sync(wf.id, { input: { n } })).body.id);
    const all = await get(`/v1/workflows/${wf.id}/runs`);
    expect(all.body).toMatchObject({ page: 1, page_size: 20, total: 3 });
    expect(all.body.items.map((r: { id: string }) => r.id)).toEqual([...ids].reverse());
    const failed = await get(`/v1/workflows/${wf.id}/runs?status=failed`);
    expect(failed.body.items.map((r: { id: string }) => r.id)).toEqual([ids[1]]);
    const paged = await get(`/v1/workflows/${wf.id}/runs?page=2&page_size=2`);
    expect(paged.body.items.map((r: { id: string }) => r.id)).toEqual([ids[0]]);
    expect((await get(`/v1/workflows/${wf.id}/runs?status=exploded`)).status).toBe(422);
    expect((await get(`/v1/workflows/${seed.id}/runs/${ids[0]}`)).status).toBe(404);
    expect((await get(`/v1/runs/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await get(`/v1/runs/00000000-0000-4000-8000-000000000000/nodes`)).status).toBe(404);
  });
});

describe('sync runs past SYNC_RUN_TIMEOUT_MS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ SYNC_RUN_TIMEOUT_MS: '300' });
  });
  afterAll(() => t.close());

  it('answers 202 with Location and the run goes on to complete', async () => {
    const slow = await createWorkflow(t.http, {
      nodes: [
        { id: 'wait', type: 'DelayNode', config: { ms: 1200 } },
        { id: 'done', type: 'OutputNode', config: { label: 'done' } },
      ],
      edges: [{ from: { node_id: 'wait', output: 'value' }, to: { node_id: 'done', input: 'value' } }],
    });
    const started = Date.now();
    const res = await t.http
      .post(`/v1/workflows/${slow.id}/runs/sync?output_only=true`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ input: {} });
    expect(res.status).toBe(202);
    expect(Date.now() - started).toBeLessThan(1100);
    expect(res.headers.location).toBe(`/v1/workflows/${slow.id}/runs/${res.body.id}`);
    expect(res.body.status).toBe('running');
    let run = res.body;
    for (let i = 0; i < 40 && run.status === 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      run = (await t.http.get(res.headers.location).set('X-API-Key', ADMIN_KEY)).body;
    }
    expect(run).toMatchObject({ status: 'completed', output: { done: null }, progress: 100 });
  });
});

describe('sync runs past a SYNC_RUN_TIMEOUT_MS shorter than the first flush', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ SYNC_RUN_TIMEOUT_MS: '30' });
  });
  afterAll(() => t.close());

  it('writes a run of pure nodes before its 202 names it', async () => {
    const slow = await createWorkflow(t.http, {
      nodes: [
        { id: 'wait', type: 'DelayNode', config: { ms: 800 } },
        { id: 'done', type: 'OutputNode', config: { label: 'done' } },
      ],
      edges: [{ from: { node_id: 'wait', output: 'value' }, to: { node_id: 'done', input: 'value' } }],
    });
    const res = await t.http.post(`/v1/workflows/${slow.id}/runs/sync`).set('X-API-Key', ADMIN_KEY).send({ input: {} });
    expect(res.status).toBe(202);
    const stored = await t.http.get(res.headers.location).set('X-API-Key', ADMIN_KEY);
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ id: res.body.id, status: 'running' });
  });
});
