import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { call } from './support/api-call.js';
import { useServerProcesses } from './support/server-processes.js';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';
import { createWorkflow, delayItemWorkflow, edge } from './support/workflows.js';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
  status?: { code?: number; message?: string };
}

/** A real OTLP/HTTP (JSON) receiver on loopback, collecting every exported span. */
function startCollector(): Promise<{ server: Server; url: string; spans: OtlpSpan[]; contentTypes: string[] }> {
  const spans: OtlpSpan[] = [];
  const contentTypes: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      contentTypes.push(String(request.headers['content-type']));
      if (request.url === '/v1/traces') {
        const parsed = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
        for (const resource of parsed.resourceSpans)
          for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      }
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${port}`, spans, contentTypes });
    }),
  );
}

const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value?.stringValue ?? value?.intValue;
};

type Collector = Awaited<ReturnType<typeof startCollector>>;

/** The spans of the trace received so far, once `enough` holds of them (or after 5 s). */
async function spansOfTrace(
  collector: Collector,
  traceId: string,
  enough: (spans: OtlpSpan[]) => boolean,
  timeoutMs = 5_000,
): Promise<OtlpSpan[]> {
  const of = () => collector.spans.filter((span) => span.traceId === traceId);
  for (const started = Date.now(); Date.now() - started < timeoutMs;) {
    if (enough(of())) return of();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return of();
}

const BRANCHING = {
  nodes: [
    { id: 'n', type: 'InputNode', config: { label: 'n', type: 'int' } },
    { id: 'big', type: 'ConditionNode', config: { expression: '$ > 10' } },
    { id: 'reject', type: 'FailNode', config: { message: 'too small: ((v))' } },
    { id: 'out', type: 'OutputNode', config: { label: 'out' } },
  ],
  edges: [
    { from: { node_id: 'n', output: 'value' }, to: { node_id: 'big', input: 'value' } },
    { from: { node_id: 'big', output: 'false' }, to: { node_id: 'reject', input: 'v' } },
    { from: { node_id: 'big', output: 'true' }, to: { node_id: 'out', input: 'value' } },
  ],
};

describe('tracing: true', () => {
  let t: TestApp;
  let collector: Collector;
  beforeAll(async () => {
    collector = await startCollector();
    t = await createTestApp({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OUTBOUND_ALLOW_PRIVATE: 'true' });
  });
  afterAll(async () => {
    await t.close();
    collector.server.close();
  });

  const spansOf = (traceId: string, count: number) =>
    spansOfTrace(collector, traceId, (found) => found.length >= count);

  it('exports a root span and a child per executed node, continuing an incoming traceparent', async () => {
    const workflow = await createWorkflow(t.http, BRANCHING);
    const parentTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await t.http
      .post(`/v1/workflows/${workflow.id}/runs/sync`)
      .set('X-API-Key', ADMIN_KEY)
      .set('traceparent', `00-${parentTrace}-00f067aa0ba902b7-01`)
      .send({ input: { n: 3 }, tracing: true });
    expect(res.body).toMatchObject({ status: 'failed', tracing: true, trace_id: parentTrace });

    const spans = await spansOf(parentTrace, 4);
    const root = spans.find((span) => span.name === 'runloom.run')!;
    expect(root.parentSpanId).toBe('00f067aa0ba902b7');
    expect(attribute(root, 'runloom.run_id')).toBe(res.body.id);
    expect(attribute(root, 'runloom.workflow_id')).toBe(workflow.id);
    expect(attribute(root, 'runloom.group_id')).toBe(t.defaultGroupId);
    expect(root.status?.code).toBe(2); // ERROR
    const nodes = spans.filter((span) => span.name.startsWith('runloom.node '));
    expect(nodes.map((span) => attribute(span, 'runloom.node_id')).sort()).toEqual(['big', 'n', 'reject']);
    for (const span of nodes) expect(span.parentSpanId).toBe(root.spanId);
    const failed = nodes.find((span) => attribute(span, 'runloom.node_id') === 'reject')!;
    expect(attribute(failed, 'runloom.node_type')).toBe('FailNode');
    expect(failed.status).toMatchObject({ code: 2, message: 'too small: 3' });
    expect(collector.contentTypes[0]).toContain('json');
  });

  it('gives a run without traceparent its own trace id, used by its root span', async () => {
    const workflow = await createWorkflow(t.http);
    const res = await t.http
      .post(`/v1/workflows/${workflow.id}/runs`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ input: { 'User Question': 'async traced' }, tracing: true });
    expect(res.body.trace_id).toMatch(/^[0-9a-f]{32}$/);
    const spans = await spansOf(res.body.trace_id, 5);
    const root = spans.find((span) => span.name === 'runloom.run')!;
    expect(root.parentSpanId ?? '').toBe('');
    expect(attribute(root, 'runloom.run.mode')).toBe('async');
    expect(spans.filter((span) => span.parentSpanId === root.spanId)).toHaveLength(4);
  });

  it("adds a client span under the node's span for each outbound call", async () => {
    const workflow = await createWorkflow(t.http, {
      nodes: [
        { id: 'call', type: 'HttpRequestNode', config: { url: `${collector.url}/ping` } },
        { id: 'out', type: 'OutputNode', config: { label: 'status' } },
      ],
      edges: [{ from: { node_id: 'call', output: 'status' }, to: { node_id: 'out', input: 'value' } }],
    });
    const res = await t.http
      .post(`/v1/workflows/${workflow.id}/runs/sync`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ input: {}, tracing: true });
    expect(res.body.output).toEqual({ status: 200 });
    const spans = await spansOf(res.body.trace_id, 4);
    const node = spans.find((span) => span.name === 'runloom.node call')!;
    const client = spans.find((span) => span.name === 'HTTP GET')!;
    expect(client.parentSpanId).toBe(node.spanId);
    expect((client as OtlpSpan & { kind: number }).kind).toBe(3); // CLIENT
    expect(Number(attribute(client, 'http.response.status_code'))).toBe(200);
    expect(attribute(client, 'url.full')).toBe(`${collector.url}/ping`);
  });

  it("puts child runs (WorkflowNode, MapNode items) in the parent's trace, under the node that started them", async () => {
    const echo = await createWorkflow(t.http, {
      nodes: [
        { id: 'item', type: 'InputNode', config: { label: 'item', type: 'any' } },
        { id: 'out', type: 'OutputNode', config: { label: 'item' } },
      ],
      edges: [edge('item.value', 'out.value')],
    });
    const parent = await createWorkflow(t.http, {
      nodes: [
        { id: 'items', type: 'InputNode', config: { label: 'items', type: 'list' } },
        { id: 'call', type: 'WorkflowNode', config: { workflow_id: echo.id, inputs: ['item'] } },
        { id: 'each', type: 'MapNode', config: { workflow_id: echo.id } },
      ],
      edges: [edge('items.value', 'call.item'), edge('items.value', 'each.items')],
    });
    const res = await t.http
      .post(`/v1/workflows/${parent.id}/runs/sync`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ input: { items: [1, 2] }, tracing: true });
    expect(res.body).toMatchObject({ status: 'completed', tracing: true });
    const traceId = res.body.trace_id;

    const children = await t.http
      .get(`/v1/workflows/${echo.id}/runs?parent_run_id=${res.body.id}`)
      .set('X-API-Key', ADMIN_KEY);
    expect(children.body.total).toBe(3);
    // Parent: root + 3 node spans; each child: root + 2 node spans.
    const spans = await spansOf(traceId, 4 + 3 * 3);
    const spanOf = (name: string, runId: string) =>
      spans.find((span) => span.name === name && attribute(span, 'runloom.run_id') === runId)!;
    const parentRoot = spanOf('runloom.run', res.body.id);
    expect(parentRoot.parentSpanId ?? '').toBe('');
    for (const child of children.body.items) {
      expect(child).toMatchObject({ tracing: true, trace_id: traceId });
      const childRoot = spanOf('runloom.run', child.id);
      expect(childRoot.parentSpanId).toBe(spanOf(`runloom.node ${child.parent_node_id}`, res.body.id).spanId);
      expect(spanOf('runloom.node out', child.id).parentSpanId).toBe(childRoot.spanId);
    }
    const startedBy = children.body.items.map((child: { parent_node_id: string }) => child.parent_node_id);
    expect(startedBy.sort()).toEqual(['call', 'each', 'each']);
  });

  it('tracing: false records no spans and no trace id', async () => {
    const workflow = await createWorkflow(t.http);
    const before = collector.spans.length;
    const res = await t.http
      .post(`/v1/workflows/${workflow.id}/runs/sync`)
      .set('X-API-Key', ADMIN_KEY)
      .set('traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4737-00f067aa0ba902b7-01')
      .send({ input: { 'User Question': 'untraced' } });
    expect(res.body.trace_id).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(collector.spans.slice(before).filter((span) => attribute(span, 'runloom.run_id') === res.body.id)).toEqual(
      [],
    );
  });
});

describe('tracing: true across a crash', () => {
  const suite = useServerProcesses();
  let collector: Collector;
  beforeAll(async () => {
    collector = await startCollector();
  });
  afterAll(() => {
    collector.server.close();
  });

  it('a child run resumed by another instance stays in its parent trace, under the span it stored', async () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url };
    const first = await suite.start(env);
    const slowEcho = (
      await call(first.base, 'POST', '/v1/workflows', { name: 'slow echo', definition: delayItemWorkflow(1500) })
    ).body;
    const map = (
      await call(first.base, 'POST', '/v1/workflows', {
        name: 'map',
        definition: {
          nodes: [
            { id: 'items', type: 'InputNode', config: { label: 'items', type: 'list' } },
            { id: 'each', type: 'MapNode', config: { workflow_id: slowEcho.id, concurrency: 1 } },
          ],
          edges: [edge('items.value', 'each.items')],
        },
      })
    ).body;
    const created = await call(first.base, 'POST', `/v1/workflows/${map.id}/runs`, {
      input: { items: ['a', 'b'] },
      tracing: true,
    });
    const traceId: string = created.body.trace_id;
    const childRow = (index: number) =>
      suite.db
        .query(
          'SELECT id, status, attempt, trace_id, trace_parent FROM runs WHERE parent_run_id = $1 AND parent_item_index = $2',
          [created.body.id, index],
        )
        .then((result) => result.rows[0]);
    const stored = await waitFor(async () => (await childRow(0))?.trace_parent as string | undefined, 20_000);
    first.process.kill('SIGKILL');
    await first.exited;
    expect(stored).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));

    await suite.start(env);
    await waitFor(async () => {
      const status = (await suite.db.query('SELECT status FROM runs WHERE id = $1', [created.body.id])).rows[0].status;
      return status === 'completed' ? true : undefined;
    }, 40_000);
    const [resumed, later] = [await childRow(0), await childRow(1)];
    expect(resumed).toMatchObject({ status: 'completed', attempt: 2, trace_id: traceId, trace_parent: stored });
    expect(later).toMatchObject({ status: 'completed', trace_id: traceId });

    const rootOf = (spans: OtlpSpan[], runId: string, attempt: number) =>
      spans.find(
        (span) =>
          span.name === 'runloom.run' &&
          attribute(span, 'runloom.run_id') === runId &&
          Number(attribute(span, 'runloom.run.attempt')) === attempt,
      );
    const spans = await spansOfTrace(
      collector,
      traceId,
      (found) => !!rootOf(found, resumed.id, 2) && !!rootOf(found, later.id, 1) && !!rootOf(found, created.body.id, 2),
    );
    // The resumed child continues the traceparent stored with it (the first instance's map span).
    expect(rootOf(spans, resumed.id, 2)!.parentSpanId).toBe(stored.split('-')[2]);
    // A child the second instance starts sits under that instance's span of the map node.
    const mapSpan = spans.find(
      (span) => span.name === 'runloom.node each' && attribute(span, 'runloom.run_id') === created.body.id,
    )!;
    expect(rootOf(spans, later.id, 1)!.parentSpanId).toBe(mapSpan.spanId);
  }, 60_000);
});
