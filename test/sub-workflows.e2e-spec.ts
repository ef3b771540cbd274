import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { RunnableDefinitions } from '../src/definitions/runnable-definitions.js';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';
import { readEventStream } from './support/sse.js';
import { createWorkflow, edge } from './support/workflows.js';

/** item (a document) → "summary of <title>", failing for documents whose title starts with "bad". */
const SUMMARISE = {
  nodes: [
    { id: 'item', type: 'InputNode', config: { label: 'item', type: 'dict' } },
    { id: 'ok', type: 'ConditionNode', config: { expression: "$not($substring(title, 0, 3) = 'bad')" } },
    { id: 'summary', type: 'TransformNode', config: { expression: "'summary of ' & title" } },
    { id: 'reject', type: 'FailNode', config: { message: 'cannot summarise ((doc))' } },
    { id: 'out', type: 'OutputNode', config: { label: 'summary' } },
  ],
  edges: [
    edge('item.value', 'ok.value'),
    edge('ok.true', 'summary.data'),
    edge('ok.false', 'reject.doc'),
    edge('summary.result', 'out.value'),
  ],
};

const mapOver = (workflowId: string, config: Record<string, unknown> = {}) => ({
  nodes: [
    { id: 'docs', type: 'InputNode', config: { label: 'docs', type: 'list' } },
    { id: 'each', type: 'MapNode', config: { workflow_id: workflowId, concurrency: 3, ...config } },
    { id: 'results', type: 'OutputNode', config: { label: 'results' } },
    { id: 'errors', type: 'OutputNode', config: { label: 'errors' } },
  ],
  edges: [edge('docs.value', 'each.items'), edge('each.results', 'results.value'), edge('each.errors', 'errors.value')],
});

describe('sub-workflows, maps and node policies', () => {
  let t: TestApp;
  let db: pg.Client;
  let summarise: { id: string };
  const sync = (workflowId: string, input: unknown) =>
    t.http.post(`/v1/workflows/${workflowId}/runs/sync`).set('X-API-Key', ADMIN_KEY).send({ input });
  const get = (path: string) => t.http.get(path).set('X-API-Key', ADMIN_KEY);
  const saveProblems = async (definition: unknown) => {
    const res = await t.http.post('/v1/workflows').set('X-API-Key', ADMIN_KEY).send({ name: 'bad', definition });
    expect(res.status).toBe(422);
    return res.body.errors;
  };

  beforeAll(async () => {
    t = await createTestApp({ OUTBOUND_ALLOW_PRIVATE: 'true' });
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    summarise = await createWorkflow(t.http, SUMMARISE, { name: 'summarise' });
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  it('WorkflowNode: the child is a real run with parent_run_id, and its outputs become ports', async () => {
    const parent = await createWorkflow(t.http, {
      nodes: [
        { id: 'doc', type: 'InputNode', config: { label: 'doc', type: 'dict' } },
        {
          id: 'call',
          type: 'WorkflowNode',
          config: { workflow_id: summarise.id, inputs: ['item'], outputs: ['summary'] },
        },
        { id: 'out', type: 'OutputNode', config: { label: 'summary' } },
      ],
      edges: [edge('doc.value', 'call.item'), edge('call.summary', 'out.value')],
    });
    const res = await sync(parent.id, { doc: { title: 'DAGs' } });
    expect(res.body).toMatchObject({
      status: 'completed',
      output: { summary: 'summary of DAGs' },
      parent_run_id: null,
    });

    const children = await get(`/v1/workflows/${summarise.id}/runs?parent_run_id=${res.body.id}`);
    expect(children.body.total).toBe(1);
    const child = children.body.items[0];
    expect(child).toMatchObject({ status: 'completed', parent_node_id: 'call', parent_item_index: null });
    expect((await get(`/v1/runs/${child.id}`)).body.output).toEqual({ summary: 'summary of DAGs' });
    const nodes = (await get(`/v1/runs/${res.body.id}/nodes`)).body.items;
    expect(nodes.find((node: { node_id: string }) => node.node_id === 'call').outputs.run_id).toBe(child.id);
    const events = await db.query('SELECT type FROM run_events WHERE run_id = $1 ORDER BY id', [child.id]);
    expect(events.rows.map((row) => row.type)).toContain('run.completed');

    const debugged = await t.http
      .post(`/v1/workflows/${parent.id}/runs/sync`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ input: { doc: { title: 'x' } }, debugger: 'session-1' });
    const debuggedChild = await db.query('SELECT debugger FROM runs WHERE parent_run_id = $1', [debugged.body.id]);
    expect(debuggedChild.rows).toEqual([{ debugger: 'session-1' }]);

    const failing = await sync(parent.id, { doc: { title: 'bad one' } });
    expect(failing.body.status).toBe('failed');
    expect(failing.body.error).toMatchObject({ node_id: 'call', type: 'fail_node' });
    expect(failing.body.error.message).toMatch(/child run .* failed at node "reject": cannot summarise/);
  });

  it("WorkflowNode under a retry policy starts a new child per attempt, and on_error continue branches on the child's failure", async () => {
    const parent = await createWorkflow(t.http, {
      nodes: [
        { id: 'doc', type: 'InputNode', config: { label: 'doc', type: 'dict' } },
        {
          id: 'call',
          type: 'WorkflowNode',
          config: { workflow_id: summarise.id, inputs: ['item'] },
          retry: { max_attempts: 2, initial_interval_ms: 10 },
          on_error: 'continue',
        },
        { id: 'failure', type: 'OutputNode', config: { label: 'failure' } },
      ],
      edges: [edge('doc.value', 'call.item'), edge('call.error', 'failure.value')],
    });
    const res = await sync(parent.id, { doc: { title: 'bad again' } });
    expect(res.body).toMatchObject({
      status: 'completed',
      output: { failure: { type: 'fail_node', message: expect.stringMatching(/cannot summarise/) } },
    });
    const children = await db.query('SELECT parent_attempt, status FROM runs WHERE parent_run_id = $1 ORDER BY 1', [
      res.body.id,
    ]);
    expect(children.rows).toEqual([
      { parent_attempt: 1, status: 'failed' },
      { parent_attempt: 2, status: 'failed' },
    ]);
  });

  it('MapNode: summarises each document in input order, with item progress in events', async () => {
    const map = await createWorkflow(t.http, mapOver(summarise.id));
    const docs = Array.from({ length: 7 }, (_, i) => ({ title: `doc ${i}` }));
    const res = await sync(map.id, { docs });
    expect(res.body.status).toBe('completed');
    expect(res.body.output).toEqual({
      results: docs.map((doc) => ({ summary: `summary of ${doc.title}` })),
      errors: [],
    });
    const deltas = await db.query(`SELECT data FROM run_events WHERE run_id = $1 AND type = 'node.delta' ORDER BY id`, [
      res.body.id,
    ]);
    expect(deltas.rows).toHaveLength(7);
    expect(deltas.rows.at(-1).data).toMatchObject({ node_id: 'each', done: 7, total: 7 });
    const children = await db.query('SELECT parent_item_index FROM runs WHERE parent_run_id = $1 ORDER BY 1', [
      res.body.id,
    ]);
    expect(children.rows.map((row) => row.parent_item_index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('MapNode on_item_error: fail stops at the first failure, skip leaves it out, collect keeps null', async () => {
    const docs = [{ title: 'a' }, { title: 'bad b' }, { title: 'c' }];
    const fail = await sync((await createWorkflow(t.http, mapOver(summarise.id, { concurrency: 1 }))).id, { docs });
    expect(fail.body.status).toBe('failed');
    expect(fail.body.error.message).toMatch(/^item 1: child run .* cannot summarise/);

    const skip = await sync((await createWorkflow(t.http, mapOver(summarise.id, { on_item_error: 'skip' }))).id, {
      docs,
    });
    expect(skip.body.output.results).toEqual([{ summary: 'summary of a' }, { summary: 'summary of c' }]);
    expect(skip.body.output.errors).toEqual([
      { index: 1, run_id: expect.any(String), type: 'fail_node', message: expect.stringMatching(/cannot summarise/) },
    ]);

    const collect = await sync((await createWorkflow(t.http, mapOver(summarise.id, { on_item_error: 'collect' }))).id, {
      docs,
    });
    expect(collect.body.output.results).toEqual([{ summary: 'summary of a' }, null, { summary: 'summary of c' }]);
    expect(collect.body.output.errors).toHaveLength(1);
  });

  describe('an item whose input does not fit the child (an int input given "x")', () => {
    const items = [1, 'x', 3];
    let doubler: { id: string };
    const mapRun = async (config: Record<string, unknown>) => {
      const map = await createWorkflow(t.http, mapOver(doubler.id, { concurrency: 1, ...config }));
      const res = await sync(map.id, { docs: items });
      expect(res.status).toBe(200);
      return res.body;
    };
    const childItems = async (runId: string) =>
      (await db.query('SELECT parent_item_index FROM runs WHERE parent_run_id = $1 ORDER BY 1', [runId])).rows.map(
        (row) => row.parent_item_index,
      );
    const itemError = {
      index: 1,
      run_id: null,
      type: 'child_input_invalid',
      message: 'the child run cannot start: input.item must be an integer (type int), got a string',
    };

    let base: string;

    beforeAll(async () => {
      // The event stream is read with fetch, as a client would.
      await t.app.listen(0, '127.0.0.1');
      base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
      doubler = await createWorkflow(t.http, {
        nodes: [
          { id: 'item', type: 'InputNode', config: { label: 'item', type: 'int' } },
          { id: 'double', type: 'TransformNode', config: { expression: '$ * 2' } },
          { id: 'out', type: 'OutputNode', config: { label: 'doubled' } },
        ],
        edges: [edge('item.value', 'double.data'), edge('double.result', 'out.value')],
      });
    });

    it('collect: the map completes with null there and the item error, in /nodes and the event stream', async () => {
      const run = await mapRun({ on_item_error: 'collect' });
      expect(run).toMatchObject({
        status: 'completed',
        output: { results: [{ doubled: 2 }, null, { doubled: 6 }], errors: [itemError] },
      });
      expect(await childItems(run.id)).toEqual([0, 2]);

      const nodes = (await get(`/v1/runs/${run.id}/nodes`)).body.items;
      const each = nodes.find((node: { node_id: string }) => node.node_id === 'each');
      expect(each).toMatchObject({ status: 'completed', outputs: { errors: [itemError] } });

      const stream = await readEventStream(`${base}/v1/runs/${run.id}/events`, { 'X-API-Key': ADMIN_KEY });
      const deltas = stream.events.filter((event) => event.event === 'node.delta').map((event) => event.data);
      expect(deltas[1]).toMatchObject({ node_id: 'each', item: { index: 1, status: 'failed', run_id: null } });
      expect(stream.events.at(-1)?.event).toBe('run.completed');
    });

    it('skip: the map completes without it, listing the item error', async () => {
      const run = await mapRun({ on_item_error: 'skip' });
      expect(run).toMatchObject({
        status: 'completed',
        output: { results: [{ doubled: 2 }, { doubled: 6 }], errors: [itemError] },
      });
      expect(await childItems(run.id)).toEqual([0, 2]);
    });

    it('fail (the default): the map fails naming the item, and starts no item after it', async () => {
      const run = await mapRun({});
      expect(run).toMatchObject({ status: 'failed', error: { node_id: 'each', type: 'child_input_invalid' } });
      expect(run.error.message).toBe(`item 1: ${itemError.message}`);
      expect(await childItems(run.id)).toEqual([0]);
    });

    it('a child workflow that cannot run at all (an unconnected required input) fails the map, even with collect', async () => {
      const broken = await createWorkflow(t.http, {
        nodes: [
          { id: 'item', type: 'InputNode', config: { label: 'item', type: 'any' } },
          { id: 'text', type: 'TextTemplateNode', config: { template: '((missing))' } },
        ],
        edges: [],
      });
      const map = await createWorkflow(t.http, mapOver(broken.id, { on_item_error: 'collect' }));
      const res = await sync(map.id, { docs: [1, 2] });
      expect(res.body).toMatchObject({ status: 'failed', error: { node_id: 'each', type: 'child_workflow_invalid' } });
      expect(res.body.error.message).toContain(`workflow ${broken.id} cannot run: `);
      expect(await childItems(res.body.id)).toEqual([]);
    });

    it('a WorkflowNode given such an input fails with child_input_invalid, without a child run', async () => {
      const caller = await createWorkflow(t.http, {
        nodes: [
          { id: 'value', type: 'InputNode', config: { label: 'value', type: 'any' } },
          { id: 'call', type: 'WorkflowNode', config: { workflow_id: doubler.id, inputs: ['item'] } },
        ],
        edges: [edge('value.value', 'call.item')],
      });
      const res = await sync(caller.id, { value: 'x' });
      expect(res.body).toMatchObject({
        status: 'failed',
        error: { node_id: 'call', type: 'child_input_invalid', message: itemError.message },
      });
      expect(await childItems(res.body.id)).toEqual([]);
    });
  });

  it('MapNode refuses a list longer than max_items, and a workflow calling itself hits the depth limit', async () => {
    const small = await createWorkflow(t.http, mapOver(summarise.id, { max_items: 2 }));
    const tooMany = await sync(small.id, { docs: [{ title: 'a' }, { title: 'b' }, { title: 'c' }] });
    expect(tooMany.body.error).toMatchObject({ node_id: 'each', type: 'too_many_items' });

    const recursive = await createWorkflow(t.http, { nodes: [], edges: [] });
    const selfCall = {
      nodes: [{ id: 'self', type: 'WorkflowNode', config: { workflow_id: recursive.id } }],
      edges: [],
    };
    const refused = await t.http
      .patch(`/v1/workflows/${recursive.id}`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ definition: selfCall });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      {
        field: 'definition.nodes[0].config.workflow_id',
        message: `calls this workflow back (${recursive.id} → ${recursive.id}); a workflow cannot call itself`,
      },
    ]);
    // Saving refuses recursion, but a called workflow can change later: runs check the depth again.
    await db.query('UPDATE workflows SET definition = $2 WHERE id = $1', [recursive.id, JSON.stringify(selfCall)]);
    await t.app.get(RunnableDefinitions).changed(recursive.id);
    const res = await sync(recursive.id, {});
    expect(res.body.status).toBe('failed');
    // Each level fails with the level below's error type, so the deepest error reaches the top.
    expect(res.body.error.type).toBe('workflow_depth_exceeded');
    const depths = await db.query('SELECT max(depth)::int AS deepest FROM runs WHERE workflow_id = $1', [recursive.id]);
    expect(depths.rows[0].deepest).toBe(5);
  });

  it('refuses calls to workflows that are not in the group', async () => {
    const otherGroup = await t.http.post('/v1/groups').set('X-API-Key', ADMIN_KEY).send({ name: 'elsewhere' });
    const foreign = await createWorkflow(t.http, SUMMARISE, { groupId: otherGroup.body.id });
    const errors = await saveProblems({
      nodes: [{ id: 'w', type: 'WorkflowNode', config: { workflow_id: foreign.id } }],
      edges: [],
    });
    expect(errors).toEqual([
      { field: 'definition.nodes[0].config.workflow_id', message: `no workflow ${foreign.id} in this group` },
    ]);
  });

  it('refuses bad MapNode and WorkflowNode configs and policies at save time', async () => {
    const errors = await saveProblems({
      nodes: [
        { id: 'm', type: 'MapNode', config: { workflow_id: 'nope', concurrency: 33, on_item_error: 'ignore' } },
        {
          id: 'w',
          type: 'WorkflowNode',
          config: { workflow_id: summarise.id, outputs: ['run_id'] },
          retry: { max_attempts: 50 },
        },
      ],
      edges: [],
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'definition.nodes[0].config.workflow_id', message: expect.stringMatching(/must match pattern/) },
        { field: 'definition.nodes[0].config.concurrency', message: 'must be <= 32' },
        { field: 'definition.nodes[0].config.on_item_error', message: 'must be one of: fail, skip, collect' },
        { field: 'definition.nodes[1].config.outputs[0]', message: '"run_id" is an output of every WorkflowNode' },
        { field: 'definition.nodes[1].retry.max_attempts', message: 'must be <= 20' },
      ]),
    );
  });

  it('retries a flaky HTTP call with backoff; every attempt is in /nodes and node.retrying events', async () => {
    let calls = 0;
    const flaky: Server = createServer((_req, res) => {
      calls++;
      res.writeHead(calls <= 2 ? 503 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ calls }));
    });
    await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = flaky.address() as AddressInfo;
      const workflow = await createWorkflow(t.http, {
        nodes: [
          {
            id: 'call',
            type: 'HttpRequestNode',
            config: { url: `http://127.0.0.1:${port}/flaky`, fail_on_error_status: true },
            retry: { max_attempts: 4, initial_interval_ms: 50, backoff_coefficient: 2 },
            timeout_ms: 5000,
          },
          { id: 'out', type: 'OutputNode', config: { label: 'body' } },
        ],
        edges: [edge('call.body', 'out.value')],
      });
      const res = await sync(workflow.id, {});
      expect(res.body).toMatchObject({ status: 'completed', output: { body: { calls: 3 } } });
      const call = (await get(`/v1/runs/${res.body.id}/nodes`)).body.items.find(
        (n: { node_id: string }) => n.node_id === 'call',
      );
      expect(call.attempts.map((a: { attempt: number; error: unknown }) => [a.attempt, a.error])).toEqual([
        [1, { type: 'http_status', message: expect.stringMatching(/^HTTP 503/) }],
        [2, { type: 'http_status', message: expect.stringMatching(/^HTTP 503/) }],
        [3, null],
      ]);
      const retrying = await db.query(
        `SELECT data FROM run_events WHERE run_id = $1 AND type = 'node.retrying' ORDER BY id`,
        [res.body.id],
      );
      expect(retrying.rows.map((row) => [row.data.attempt, row.data.delay_ms])).toEqual([
        [1, 50],
        [2, 100],
      ]);
    } finally {
      flaky.close();
    }
  });

  it('stopping the parent stops its in-flight child run', async () => {
    const slowChild = await createWorkflow(t.http, {
      nodes: [
        { id: 'wait', type: 'DelayNode', config: { ms: 60_000 } },
        { id: 'out', type: 'OutputNode', config: { label: 'done' } },
      ],
      edges: [edge('wait.value', 'out.value')],
    });
    const parent = await createWorkflow(t.http, {
      nodes: [{ id: 'call', type: 'WorkflowNode', config: { workflow_id: slowChild.id } }],
      edges: [],
    });
    const started = await t.http
      .post(`/v1/workflows/${parent.id}/runs`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ input: {} });
    expect(started.status).toBe(202);
    const childId = await waitFor(async () => {
      const rows = await db.query(`SELECT id FROM runs WHERE parent_run_id = $1 AND status = 'running'`, [
        started.body.id,
      ]);
      return rows.rows[0]?.id as string | undefined;
    }, 10_000);
    const stopped = await t.http.post(`/v1/runs/${started.body.id}/stop`).set('X-API-Key', ADMIN_KEY);
    expect(stopped.body.status).toBe('stopped');
    const child = await waitFor(async () => {
      const run = (await get(`/v1/runs/${childId}`)).body;
      return run.status === 'running' ? undefined : run;
    }, 10_000);
    expect(child.status).toBe('stopped');
  });

  it('a map stopped mid-way stops its in-flight children and starts no more', async () => {
    const slowItem = await createWorkflow(t.http, {
      nodes: [
        { id: 'item', type: 'InputNode', config: { label: 'item', type: 'any' } },
        { id: 'wait', type: 'DelayNode', config: { ms: 60_000 } },
        { id: 'out', type: 'OutputNode', config: { label: 'done' } },
      ],
      edges: [edge('item.value', 'wait.value'), edge('wait.value', 'out.value')],
    });
    const map = await createWorkflow(t.http, mapOver(slowItem.id, { concurrency: 3 }));
    const started = await t.http
      .post(`/v1/workflows/${map.id}/runs`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ input: { docs: [1, 2, 3, 4, 5, 6] } });
    const children = () =>
      db.query('SELECT id, status FROM runs WHERE parent_run_id = $1', [started.body.id]).then((r) => r.rows);
    await waitFor(async () => ((await children()).length === 3 ? true : undefined), 10_000);
    const stopped = await t.http.post(`/v1/runs/${started.body.id}/stop`).set('X-API-Key', ADMIN_KEY);
    expect(stopped.body.status).toBe('stopped');
    const settled = await waitFor(async () => {
      const rows = await children();
      return rows.every((row) => row.status === 'stopped') ? rows : undefined;
    }, 10_000);
    expect(settled).toHaveLength(3);
  });
});
