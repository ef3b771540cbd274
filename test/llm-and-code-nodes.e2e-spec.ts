import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { startFakeChatServer, type FakeChatServer } from '../src/execution/llm/testing/fake-chat-server.js';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { readEventStream } from './support/sse.js';
import { createWorkflow } from './support/workflows.js';

const SUMMARY = {
  nodes: [
    { id: 'article', type: 'InputNode', config: { label: 'article', type: 'str' } },
    {
      id: 'summarise',
      type: 'TextGenerationNode',
      config: {
        template: 'Summarise in one sentence: ((article))',
        system: 'You are a concise editor.',
        model: 'test-model',
        temperature: 0.2,
        max_tokens: 50,
      },
    },
    { id: 'summary', type: 'OutputNode', config: { label: 'summary' } },
  ],
  edges: [
    { from: { node_id: 'article', output: 'value' }, to: { node_id: 'summarise', input: 'article' } },
    { from: { node_id: 'summarise', output: 'text' }, to: { node_id: 'summary', input: 'value' } },
  ],
};

function codeWorkflow(code: string, options: Record<string, unknown> = {}) {
  return {
    nodes: [
      { id: 'items', type: 'InputNode', config: { label: 'items', type: 'list' } },
      { id: 'discount', type: 'InputNode', config: { label: 'discount', type: 'float', default: 0 } },
      { id: 'price', type: 'CodeNode', config: { code, inputs: ['items', 'discount'], ...options } },
      { id: 'total', type: 'OutputNode', config: { label: 'total' } },
    ],
    edges: [
      { from: { node_id: 'items', output: 'value' }, to: { node_id: 'price', input: 'items' } },
      { from: { node_id: 'discount', output: 'value' }, to: { node_id: 'price', input: 'discount' } },
      { from: { node_id: 'price', output: 'result' }, to: { node_id: 'total', input: 'value' } },
    ],
  };
}

describe('TextGenerationNode and CodeNode in runs', () => {
  let t: TestApp;
  let llm: FakeChatServer;
  let base: string;
  let db: pg.Client;
  const auth = { 'X-API-Key': ADMIN_KEY };
  const sync = (workflowId: string, input: object) =>
    t.http.post(`/v1/workflows/${workflowId}/runs/sync`).set(auth).send({ input });

  beforeAll(async () => {
    llm = await startFakeChatServer();
    t = await createTestApp({ LLM_BASE_URL: llm.baseUrl, LLM_API_KEY: 'sk-e2e' });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
    await llm.close();
  });

  it('runs a TextGenerationNode: the answer is the output, each streamed piece a persisted node.delta event', async () => {
    const workflow = await createWorkflow(t.http, SUMMARY);
    llm.replies.push({ stream: ['Runloom ', 'runs ', 'workflows.'] });
    const res = await sync(workflow.id, { article: 'A long text about Runloom.' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'completed', output: { summary: 'Runloom runs workflows.' } });
    expect(llm.requests.at(-1)).toMatchObject({
      headers: { authorization: 'Bearer sk-e2e' },
      body: {
        model: 'test-model',
        temperature: 0.2,
        max_tokens: 50,
        stream: true,
        messages: [
          { role: 'system', content: 'You are a concise editor.' },
          { role: 'user', content: 'Summarise in one sentence: A long text about Runloom.' },
        ],
      },
    });

    const rows = await db.query('SELECT type, data FROM run_events WHERE run_id = $1 ORDER BY id', [res.body.id]);
    const deltas = rows.rows.filter((row) => row.type === 'node.delta').map((row) => row.data);
    expect(deltas).toEqual([
      { node_id: 'summarise', text: 'Runloom ' },
      { node_id: 'summarise', text: 'runs ' },
      { node_id: 'summarise', text: 'workflows.' },
    ]);
    const types = rows.rows.map((row) => `${row.type} ${row.data.node_id ?? ''}`.trim());
    expect(types.indexOf('node.started summarise')).toBeLessThan(types.indexOf('node.delta summarise'));
    expect(types.lastIndexOf('node.delta summarise')).toBeLessThan(types.indexOf('node.completed summarise'));

    const stream = await readEventStream(`${base}/v1/runs/${res.body.id}/events`, auth);
    expect(stream.events.filter((e) => e.event === 'node.delta').map((e) => e.data.text)).toEqual([
      'Runloom ',
      'runs ',
      'workflows.',
    ]);
  });

  it('fails the run with llm_error, keeping the status and message the provider answered', async () => {
    const workflow = await createWorkflow(t.http, SUMMARY);
    llm.replies.push({ status: 400, body: { error: { message: "This model's maximum context length is 8 tokens" } } });
    const res = await sync(workflow.id, { article: 'too long' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'failed',
      output: null,
      error: {
        node_id: 'summarise',
        type: 'llm_error',
        message: "provider answered 400: This model's maximum context length is 8 tokens",
      },
    });
  });

  it('runs a CodeNode on the run input', async () => {
    const code = `
      const total = items.reduce((sum, item) => sum + item.price * item.qty, 0);
      return { total: Math.round(total * (1 - discount) * 100) / 100, count: items.length };
    `;
    const workflow = await createWorkflow(t.http, codeWorkflow(code));
    const items = [
      { price: 2.5, qty: 2 },
      { price: 1, qty: 3 },
    ];
    const res = await sync(workflow.id, { items, discount: 0.1 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'completed', output: { total: { total: 7.2, count: 2 } } });
    const nodes = await t.http.get(`/v1/runs/${res.body.id}/nodes`).set(auth);
    expect(nodes.body.items.find((n: { node_id: string }) => n.node_id === 'price')).toMatchObject({
      node_type: 'CodeNode',
      status: 'completed',
      inputs: { items, discount: 0.1 },
      outputs: { result: { total: 7.2, count: 2 } },
    });
  });

  it('fails only the run whose CodeNode loops forever, quickly, while the server keeps answering', async () => {
    const looping = await createWorkflow(t.http, codeWorkflow('while (true) {}', { timeout_ms: 300 }));
    const started = Date.now();
    const pending = sync(looping.id, { items: [] });
    const health = await t.http.get('/v1/nodes').set(auth);
    expect(health.status).toBe(200);
    const res = await pending;
    expect(res.body).toMatchObject({
      status: 'failed',
      error: { node_id: 'price', type: 'code_timeout', message: 'the code ran longer than 300 ms (timeout_ms)' },
    });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('reports a CodeNode error with its message and line', async () => {
    const workflow = await createWorkflow(
      t.http,
      codeWorkflow('if (items.length === 0) {\n  throw new Error("no items");\n}\nreturn 1;'),
    );
    const res = await sync(workflow.id, { items: [] });
    expect(res.body.error).toEqual({ node_id: 'price', type: 'code_error', message: 'Error: no items (line 2)' });
  });

  it('documents both types with an example in GET /v1/nodes', async () => {
    const res = await t.http.get('/v1/nodes').set(auth);
    const byType = Object.fromEntries(res.body.items.map((n: { type: string }) => [n.type, n]));
    expect(byType.CodeNode.example).toMatchObject({ config: { inputs: ['items'] }, outputs: { result: { total: 8 } } });
    expect(byType.TextGenerationNode.example).toMatchObject({ config: { template: expect.any(String) } });
    expect(byType.TextGenerationNode.description).toContain('node.delta');
  });
});

describe('TextGenerationNode on a server without LLM_BASE_URL', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('fails the run with llm_not_configured', async () => {
    const workflow = await createWorkflow(t.http, SUMMARY);
    const res = await t.http
      .post(`/v1/workflows/${workflow.id}/runs/sync`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ input: { article: 'x' } });
    expect(res.body).toMatchObject({ status: 'failed', error: { node_id: 'summarise', type: 'llm_not_configured' } });
  });
});
