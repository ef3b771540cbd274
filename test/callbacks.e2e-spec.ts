import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { CallbackHarness, manualSignature, signatures } from './support/callbacks.js';
import { sleep } from './support/wait.js';
import { createWorkflow, delayWorkflow } from './support/workflows.js';

const SCHEDULE = [100, 200, 300];

const FAILING = {
  nodes: [
    { id: 'in', type: 'InputNode', config: { label: 'in', type: 'str' } },
    { id: 'boom', type: 'FailNode', config: { message: 'no good: ((value))' } },
  ],
  edges: [{ from: { node_id: 'in', output: 'value' }, to: { node_id: 'boom', input: 'value' } }],
};

describe('run callbacks: delivery (ROLE=all, OUTBOUND_ALLOW_PRIVATE=true)', () => {
  let h: CallbackHarness;
  let receiver: CallbackHarness['receiver'];
  let failing: { id: string };
  let slow: { id: string };
  let long: { id: string };
  const get = (path: string) => h.get(path);
  const post = (path: string, body: object = {}) => h.post(path, body);
  const secret = () => h.secret();
  const runSync = (path: string, workflowId?: string, input?: object) => h.runSync(path, workflowId, input);
  const attempts = (runId: string, count: number) => h.attempts(runId, count);

  async function until(runId: string, status: string) {
    for (let i = 0; i < 200; i++) {
      const run = (await get(`/v1/runs/${runId}`)).body;
      if (run.status === status) return run;
      await sleep(25);
    }
    throw new Error(`run ${runId} never became ${status}`);
  }

  beforeAll(async () => {
    h = await CallbackHarness.start({
      OUTBOUND_ALLOW_PRIVATE: 'true',
      WEBHOOK_RETRY_SCHEDULE: SCHEDULE.map((ms) => `${ms}ms`).join(','),
      SYNC_RUN_TIMEOUT_MS: '500',
    });
    receiver = h.receiver;
    failing = await createWorkflow(h.t.http, FAILING);
    slow = await createWorkflow(h.t.http, delayWorkflow(1500));
    long = await createWorkflow(h.t.http, delayWorkflow(20_000));
  });
  afterAll(() => h.close());

  it('POSTs the finished run, signed with the group secret (verified independently), and logs the attempt', async () => {
    receiver.respond('/done', () => ({ status: 200, body: 'thanks' }));
    const groupSecret = await secret();
    const run = await runSync('/done');
    expect(run.status).toBe('completed');

    const [request] = await receiver.waitFor('/done', 1);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['webhook-id']).toBe(`msg_${run.id}`);
    expect(Math.abs(Number(request.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(10);
    const verified = new Webhook(groupSecret).verify(request.body, request.headers as Record<string, string>);
    expect(signatures(request)).toEqual([manualSignature(groupSecret, request)]);
    const stored = (await get(`/v1/runs/${run.id}`)).body;
    expect(verified).toEqual({ type: 'run.completed', timestamp: stored.finished_at, data: stored });
    expect(stored.output).toEqual({ Answer: 'hi — ' });

    const [attempt] = await attempts(run.id, 1);
    expect(attempt).toMatchObject({
      message_id: `msg_${run.id}`,
      event_type: 'run.completed',
      url: receiver.url('/done'),
      chain: 1,
      attempt: 1,
      status_code: 200,
      error_class: null,
      error: null,
      response_body: 'thanks',
      next_attempt_at: null,
    });
    expect(attempt.duration_ms).toBeGreaterThanOrEqual(0);
    expect(Date.parse(attempt.delivered_at)).toBeGreaterThanOrEqual(Date.parse(attempt.attempted_at));
    await sleep(400);
    expect(receiver.on('/done')).toHaveLength(1);
  });

  it('calls back for async runs, and sends run.failed with the error for a failed run', async () => {
    const queued = await post(`/v1/workflows/${h.seed.id}/runs`, {
      input: { 'User Question': 'later' },
      callback_url: receiver.url('/async'),
    });
    expect(queued.status).toBe(202);
    const [completed] = await receiver.waitFor('/async', 1);
    expect(JSON.parse(completed.body)).toMatchObject({
      type: 'run.completed',
      data: { id: queued.body.id, status: 'completed' },
    });

    const run = await runSync('/failed', failing.id, { in: 'x' });
    expect(run.status).toBe('failed');
    const [failed] = await receiver.waitFor('/failed', 1);
    const body = JSON.parse(failed.body);
    expect(body).toMatchObject({
      type: 'run.failed',
      data: { id: run.id, status: 'failed', output: null, error: { node_id: 'boom', message: 'no good: x' } },
    });
    expect(body.data).toEqual((await get(`/v1/runs/${run.id}`)).body);
  });

  it('sends run.stopped when a running run is stopped', async () => {
    const created = await post(`/v1/workflows/${long.id}/runs`, { input: {}, callback_url: receiver.url('/stopped') });
    await until(created.body.id, 'running');
    const stopped = await post(`/v1/runs/${created.body.id}/stop`);
    expect(stopped.status).toBe(200);
    const [request] = await receiver.waitFor('/stopped', 1);
    expect(JSON.parse(request.body)).toMatchObject({
      type: 'run.stopped',
      data: { id: created.body.id, status: 'stopped' },
    });
  });

  it('calls back when a sync run past its wait limit (202) finishes in the background', async () => {
    const run = await runSync('/background', slow.id, {});
    expect(run.status).toBe('running');
    const [request] = await receiver.waitFor('/background', 1, 10_000);
    expect(JSON.parse(request.body)).toMatchObject({
      type: 'run.completed',
      data: { id: run.id, status: 'completed' },
    });
  });

  it('retries failures on the schedule with the same webhook-id, each attempt signed, until delivered', async () => {
    const groupSecret = await secret();
    receiver.respond('/flaky', (_, index) =>
      index === 0 ? { status: 500 } : index === 1 ? { status: 503, body: 'busy' } : { status: 200 },
    );
    const run = await runSync('/flaky');
    const requests = await receiver.waitFor('/flaky', 3);
    expect(new Set(requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([`msg_${run.id}`]));
    expect(new Set(requests.map((r) => r.body)).size).toBe(1);
    for (const request of requests) {
      expect(() =>
        new Webhook(groupSecret).verify(request.body, request.headers as Record<string, string>),
      ).not.toThrow();
    }
    const gaps = [requests[1].at - requests[0].at, requests[2].at - requests[1].at];
    expect(gaps[0]).toBeGreaterThanOrEqual(SCHEDULE[0] - 10);
    expect(gaps[1]).toBeGreaterThanOrEqual(SCHEDULE[1] - 10);
    expect(gaps[0]).toBeLessThan(SCHEDULE[0] + 1000);
    expect(gaps[1]).toBeLessThan(SCHEDULE[1] + 1000);

    const items = await attempts(run.id, 3);
    expect(items.map((a: { attempt: number; status_code: number }) => [a.attempt, a.status_code])).toEqual([
      [1, 500],
      [2, 503],
      [3, 200],
    ]);
    expect(items[0]).toMatchObject({ error_class: 'http_status', error: 'HTTP 500', delivered_at: null });
    expect(items[1]).toMatchObject({ error_class: 'http_status', response_body: 'busy' });
    expect(Date.parse(items[0].next_attempt_at) - Date.parse(items[0].attempted_at)).toBeGreaterThanOrEqual(
      SCHEDULE[0],
    );
    expect(Date.parse(items[1].next_attempt_at) - Date.parse(items[1].attempted_at)).toBeGreaterThanOrEqual(
      SCHEDULE[1],
    );
    expect(items[2]).toMatchObject({ error_class: null, next_attempt_at: null, outcome: 'delivered' });
    expect(items[2].delivered_at).not.toBeNull();
  });

  it('gives up once the schedule is used up (first attempt + one per entry)', async () => {
    receiver.respond('/down', () => ({ status: 500 }));
    const run = await runSync('/down');
    await receiver.waitFor('/down', SCHEDULE.length + 1);
    await sleep(800);
    expect(receiver.on('/down')).toHaveLength(SCHEDULE.length + 1);
    const items = await attempts(run.id, SCHEDULE.length + 1);
    expect(items).toHaveLength(SCHEDULE.length + 1);
    expect(items.at(-1)).toMatchObject({
      attempt: 4,
      status_code: 500,
      next_attempt_at: null,
      delivered_at: null,
      outcome: 'given_up',
    });
    expect(items.slice(0, -1).map((item: { outcome: string }) => item.outcome)).toEqual(
      Array(SCHEDULE.length).fill('retry_scheduled'),
    );
  });

  it('honours Retry-After when it asks for longer than the schedule', async () => {
    receiver.respond('/later', (_, index) =>
      index === 0 ? { status: 429, headers: { 'Retry-After': '1' } } : { status: 204 },
    );
    const run = await runSync('/later');
    const requests = await receiver.waitFor('/later', 2);
    expect(requests[1].at - requests[0].at).toBeGreaterThanOrEqual(950);
    const [first] = await attempts(run.id, 2);
    expect(Date.parse(first.next_attempt_at) - Date.parse(first.attempted_at)).toBeGreaterThanOrEqual(1000);
  });

  it('stops at 410 Gone', async () => {
    receiver.respond('/gone', () => ({ status: 410 }));
    const run = await runSync('/gone');
    await receiver.waitFor('/gone', 1);
    await sleep(600);
    expect(receiver.on('/gone')).toHaveLength(1);
    const [attempt] = await attempts(run.id, 1);
    expect(attempt).toMatchObject({
      status_code: 410,
      error_class: 'http_status',
      next_attempt_at: null,
      delivered_at: null,
    });
  });

  it('does not follow redirects: a 3xx is a failed attempt, retried', async () => {
    receiver.respond('/moved', (_, index) =>
      index === 0 ? { status: 301, headers: { Location: receiver.url('/elsewhere') } } : { status: 200 },
    );
    const run = await runSync('/moved');
    await receiver.waitFor('/moved', 2);
    expect(receiver.on('/elsewhere')).toHaveLength(0);
    const items = await attempts(run.id, 2);
    expect(items[0]).toMatchObject({ status_code: 301, error_class: 'http_status' });
    expect(items[0].next_attempt_at).not.toBeNull();
    expect(items[1]).toMatchObject({ status_code: 200 });
  });

  it('retries connection failures, recording their class', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const res = await post(`/v1/workflows/${h.seed.id}/runs/sync`, {
      input: { 'User Question': 'anyone?' },
      callback_url: `http://127.0.0.1:${port}/nobody`,
    });
    const items = await attempts(res.body.id, SCHEDULE.length + 1);
    expect(items).toHaveLength(SCHEDULE.length + 1);
    for (const item of items) expect(item).toMatchObject({ status_code: null, error_class: 'connection' });
    expect(items[0].error).toContain('ECONNREFUSED');
    expect(items.at(-1).next_attempt_at).toBeNull();
  });

  it('keeps only the first 2 KiB of a response', async () => {
    receiver.respond('/chatty', () => ({ status: 200, body: 'x'.repeat(10_000) }));
    const run = await runSync('/chatty');
    const [attempt] = await attempts(run.id, 1);
    expect(attempt.response_body).toBe('x'.repeat(2048));
  });
});
