import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Runloom, type WorkflowDocument } from '../src/index.js';
import { json, sampleRun, scriptedServer, type ScriptedServer } from './support/scripted-server.js';

let server: ScriptedServer;
afterEach(() => server.close());

const DOCUMENT: WorkflowDocument = {
  runloom: 'workflow/v1',
  slug: 'summarize',
  name: 'Summarize',
  description: null,
  definition: { nodes: [], edges: [] },
  versions: [],
  schedules: [],
  requires: { workflows: [], secrets: [] },
};

describe('request', () => {
  it('fills path parameters, encodes the query (repeated arrays, deepObject maps) and sends the body', async () => {
    server = await scriptedServer((request, response) => json(response, 200, { items: [], next_cursor: null }));
    const client = new Runloom({ baseUrl: `${server.url}/` });

    const page = await client.request('GET', '/v1/runs', {
      query: { status: ['failed', 'stopped'], metadata: { customer: 'a&b' }, limit: 5 },
    });
    await client.request('POST', '/v1/runs/{run_id}/signals/{name}', {
      path: { run_id: 'r 1', name: 'approve/it' },
      body: { payload: null },
    });

    assert.deepEqual(page, { items: [], next_cursor: null });
    const [search, signal] = server.received;
    assert.equal(search!.url, '/v1/runs?status=failed&status=stopped&metadata%5Bcustomer%5D=a%26b&limit=5');
    assert.equal(signal!.url, '/v1/runs/r%201/signals/approve%2Fit');
    assert.equal(signal!.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(signal!.body), { payload: null });
  });

  it('is typed by the OpenAPI document', () => {
    const client = new Runloom({ baseUrl: 'http://127.0.0.1:9' });
    // Never called: only the compiler (npm run typecheck) reads these lines.
    const calls = () => [
      // @ts-expect-error: no such path
      client.request('GET', '/v1/nothing'),
      // @ts-expect-error: the path parameter is required
      client.request('GET', '/v1/runs/{run_id}'),
      // @ts-expect-error: not a run status
      client.request('GET', '/v1/runs', { query: { status: ['lost'] } }),
      // @ts-expect-error: DELETE is not an operation of this path
      client.request('DELETE', '/v1/runs'),
    ];
    assert.equal(typeof calls, 'function');
  });
});

describe('listRuns', () => {
  it('follows next_cursor page after page, keeping the filters', async () => {
    server = await scriptedServer((request, response) => {
      const cursor = new URL(request.url, server.url).searchParams.get('cursor');
      if (!cursor) return json(response, 200, { items: [sampleRun('r3'), sampleRun('r2')], next_cursor: 'c1' });
      json(response, 200, { items: [sampleRun('r1')], next_cursor: null });
    });
    const ids = [];
    for await (const run of new Runloom({ baseUrl: server.url }).listRuns({ status: ['completed'], limit: 2 }))
      ids.push(run.id);
    assert.deepEqual(ids, ['r3', 'r2', 'r1']);
    assert.deepEqual(
      server.received.map((request) => request.url),
      ['/v1/runs?status=completed&limit=2', '/v1/runs?status=completed&limit=2&cursor=c1'],
    );
  });
});

describe('workflows', () => {
  it('lists by text or slug, updates with If-Match, exports and imports documents', async () => {
    server = await scriptedServer((request, response) => {
      if (request.url.startsWith('/v1/workflows/import')) {
        return json(response, 200, {
          dry_run: true,
          workflows: [{ slug: 'summarize', workflow_id: null, action: 'created', changes: [] }],
        });
      }
      if (request.url.endsWith('/export')) return json(response, 200, DOCUMENT);
      json(response, 200, { items: [], page: 1, page_size: 20, total: 0 });
    });
    const { workflows } = new Runloom({ baseUrl: server.url });

    await workflows.list({ q: 'sum', page_size: 20 });
    await workflows.list({ slug: 'summarize' });
    await workflows.update('w1', { name: 'New' }, { ifMatch: 3 });
    assert.deepEqual(await workflows.export('w1'), DOCUMENT);
    const result = await workflows.import([DOCUMENT], { dryRun: true });
    await workflows.import(DOCUMENT);

    assert.equal(result.workflows[0]!.action, 'created');
    const [byText, bySlug, update, exported, dryRun, single] = server.received;
    assert.equal(byText!.url, '/v1/workflows?q=sum&page_size=20');
    assert.equal(bySlug!.url, '/v1/workflows?slug=summarize');
    assert.equal(update!.method, 'PATCH');
    assert.equal(update!.headers['if-match'], '"3"');
    assert.equal(exported!.url, '/v1/workflows/w1/export');
    assert.equal(dryRun!.url, '/v1/workflows/import?dry_run=true');
    assert.deepEqual(JSON.parse(dryRun!.body), { workflows: [DOCUMENT] });
    assert.equal(single!.url, '/v1/workflows/import');
    assert.deepEqual(JSON.parse(single!.body), DOCUMENT);
  });
});
