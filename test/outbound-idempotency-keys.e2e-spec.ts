import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { call } from './support/api-call.js';
import { expectProblem } from './support/problems.js';
import { useServerProcesses } from './support/server-processes.js';
import { ADMIN_KEY } from './support/test-app.js';
import { useTestAppAndDatabase } from './support/test-app-and-database.js';
import { waitFor } from './support/wait.js';
import { WebhookReceiver } from './support/webhook-receiver.js';
import { createWorkflow, edge } from './support/workflows.js';

/** The documented key: SHA-256 hex of `<call path>:<node id>`. */
const keyOf = (callPath: string, nodeId: string) => createHash('sha256').update(`${callPath}:${nodeId}`).digest('hex');

/** The Idempotency-Key of every request the receiver got on `path`. */
const keysOn = (receiver: WebhookReceiver, path: string) =>
  receiver.on(path).map((request) => request.headers['idempotency-key']);

/** One HttpRequestNode `call` POSTing to `url` (with `policy` beside its config) → output `status`. */
function callingWorkflow(url: string, policy: Record<string, unknown> = {}) {
  return {
    nodes: [
      { id: 'call', type: 'HttpRequestNode', config: { method: 'POST', url, fail_on_error_status: true }, ...policy },
      { id: 'status', type: 'OutputNode', config: { label: 'status' } },
    ],
    edges: [edge('call.status', 'status.value')],
  };
}

describe('Idempotency-Key on HttpRequestNode calls', () => {
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterAll(() => receiver.close());

  describe('within one instance', () => {
    const suite = useTestAppAndDatabase({ OUTBOUND_ALLOW_PRIVATE: 'true' });

    const runSync = (workflowId: string, input: Record<string, unknown> = {}) =>
      suite.t.http.post(`/v1/workflows/${workflowId}/runs/sync`).set('X-API-Key', ADMIN_KEY).send({ input });

    it("the node's retries send one key: 500, 500, 200 → 3 requests, 1 distinct key", async () => {
      receiver.respond('/flaky', (_request, index) => ({ status: index < 2 ? 500 : 200 }));
      const retry = { retry: { max_attempts: 3, initial_interval_ms: 10 } };
      const workflow = await createWorkflow(suite.t.http, callingWorkflow(receiver.url('/flaky'), retry));
      const run = await runSync(workflow.id);
      expect(run.body).toMatchObject({ status: 'completed', output: { status: 200 } });
      const keys = keysOn(receiver, '/flaky');
      expect(keys).toHaveLength(3);
      expect(new Set(keys).size).toBe(1);
      expect(keys[0]).toBe(keyOf(run.body.id, 'call'));
    });

    it('a map over 3 items sends 3 distinct keys, one per item, from each child run’s call path', async () => {
      const child = await createWorkflow(suite.t.http, {
        nodes: [
          { id: 'item', type: 'InputNode', config: { label: 'item', type: 'int' } },
          {
            id: 'call',
            type: 'HttpRequestNode',
            config: { method: 'POST', url: receiver.url('/item'), body: '((n))' },
          },
          { id: 'status', type: 'OutputNode', config: { label: 'status' } },
        ],
        edges: [edge('item.value', 'call.n'), edge('call.status', 'status.value')],
      });
      const map = await createWorkflow(suite.t.http, {
        nodes: [
          { id: 'items', type: 'InputNode', config: { label: 'items', type: 'list' } },
          { id: 'each', type: 'MapNode', config: { workflow_id: child.id, concurrency: 3 } },
          { id: 'out', type: 'OutputNode', config: { label: 'results' } },
        ],
        edges: [edge('items.value', 'each.items'), edge('each.results', 'out.value')],
      });
      const run = await runSync(map.id, { items: [7, 8, 9] });
      expect(run.body.status).toBe('completed');
      const byItem = new Map(receiver.on('/item').map((request) => [request.body, request.headers['idempotency-key']]));
      expect(new Set(byItem.values()).size).toBe(3);
      const children = await suite.db.query(
        'SELECT parent_item_index, call_path FROM runs WHERE parent_run_id = $1 ORDER BY parent_item_index',
        [run.body.id],
      );
      expect(children.rows.map((row) => row.call_path)).toEqual([0, 1, 2].map((i) => `${run.body.id}/each:${i}`));
      for (const [index, item] of ['7', '8', '9'].entries()) {
        expect(byItem.get(item)).toBe(keyOf(`${run.body.id}/each:${index}`, 'call'));
      }
    });

    it('idempotency_header renames the header or, null, sends none', async () => {
      const renamed = await createWorkflow(suite.t.http, {
        nodes: [
          {
            id: 'call',
            type: 'HttpRequestNode',
            config: { url: receiver.url('/renamed'), idempotency_header: 'X-Request-Key' },
          },
        ],
        edges: [],
      });
      const off = await createWorkflow(suite.t.http, {
        nodes: [
          { id: 'call', type: 'HttpRequestNode', config: { url: receiver.url('/off'), idempotency_header: null } },
        ],
        edges: [],
      });
      const run = await runSync(renamed.id);
      expect((await runSync(off.id)).body.status).toBe('completed');
      expect(receiver.on('/renamed')[0].headers).toMatchObject({ 'x-request-key': keyOf(run.body.id, 'call') });
      expect(receiver.on('/renamed')[0].headers).not.toHaveProperty('idempotency-key');
      expect(receiver.on('/off')[0].headers).not.toHaveProperty('idempotency-key');
    });

    it('refuses an idempotency_header that is not a header name (422 naming it)', async () => {
      for (const idempotency_header of ['Idempotency Key', '', 7]) {
        const res = await suite.t.http
          .post('/v1/workflows')
          .set('X-API-Key', ADMIN_KEY)
          .send({
            name: 'bad header',
            definition: {
              nodes: [{ id: 'call', type: 'HttpRequestNode', config: { url: receiver.url('/x'), idempotency_header } }],
              edges: [],
            },
          });
        expectProblem(res, 422, 'validation-error');
        expect(res.body.errors.map((error: { field: string }) => error.field)).toContain(
          'definition.nodes[0].config.idempotency_header',
        );
      }
    });
  });

  describe('across a kill -9 mid-call', () => {
    const suite = useServerProcesses();
    const runRow = async (runId: string) => (await suite.db.query('SELECT * FROM runs WHERE id = $1', [runId])).rows[0];

    it('the instance that resumes the run calls again with the same key: 2 requests, 1 distinct key', async () => {
      // The first call is held open until its caller dies; the call made again is answered.
      receiver.respond('/held', (_request, index) => (index === 0 ? new Promise(() => undefined) : { status: 200 }));
      const env = { OUTBOUND_ALLOW_PRIVATE: 'true' };
      const first = await suite.start(env);
      const workflow = (
        await call(first.base, 'POST', '/v1/workflows', {
          name: 'held',
          definition: callingWorkflow(receiver.url('/held')),
        })
      ).body;
      const created = await call(first.base, 'POST', `/v1/workflows/${workflow.id}/runs`, { input: {} });
      expect(created.status).toBe(202);
      await receiver.waitFor('/held', 1);
      first.process.kill('SIGKILL');
      await first.exited;
      // Its holder is dead: end the lease now rather than wait out its 10 s.
      await suite.db.query('UPDATE runs SET lease_expires_at = now() WHERE id = $1', [created.body.id]);

      await suite.start(env);
      const done = await waitFor(async () => {
        const run = await runRow(created.body.id);
        return ['completed', 'failed', 'stopped'].includes(run.status) ? run : undefined;
      }, 20_000);
      expect(done).toMatchObject({ status: 'completed', attempt: 2, output: { status: 200 } });
      const keys = keysOn(receiver, '/held');
      expect(keys).toHaveLength(2);
      expect(new Set(keys).size).toBe(1);
      expect(keys[0]).toBe(keyOf(created.body.id, 'call'));
    }, 60_000);
  });
});
