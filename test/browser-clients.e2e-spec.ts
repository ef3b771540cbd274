import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventSource, type ErrorEvent } from 'eventsource';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';
import { createWorkflow } from './support/workflows.js';

const ORIGIN = 'https://app.example.test';
const ACCEPTED = ['X-API-Key', 'Content-Type', 'Idempotency-Key', 'Last-Event-ID', 'traceparent', 'If-Match'];

describe('CORS for browser apps (CORS_ORIGINS)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: `${ORIGIN}, http://localhost:5173` });
  });
  afterAll(() => t.close());

  it('answers an allowed origin’s preflight for every header the API reads', async () => {
    const res = await t.http
      .options('/v1/workflows')
      .set('Origin', ORIGIN)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', ACCEPTED.join(',').toLowerCase());
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(res.headers['access-control-allow-methods']).toContain('POST');
    const allowed = res.headers['access-control-allow-headers'].toLowerCase().split(',');
    for (const header of ACCEPTED) expect(allowed).toContain(header.toLowerCase());
    expect(res.headers.vary).toContain('Origin');
  });

  it('lets an allowed origin read Location, ETag, Retry-After and X-Request-Id', async () => {
    const workflow = await createWorkflow(t.http);
    const res = await t.http.get(`/v1/workflows/${workflow.id}`).set('Origin', ORIGIN).set('X-API-Key', ADMIN_KEY);
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(res.headers['access-control-expose-headers'].split(',')).toEqual([
      'Location',
      'ETag',
      'Retry-After',
      'X-Request-Id',
    ]);
  });

  it('grants nothing to other origins', async () => {
    const preflight = await t.http
      .options('/v1/workflows')
      .set('Origin', 'https://evil.example.test')
      .set('Access-Control-Request-Method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const res = await t.http
      .get('/v1/workflows')
      .set('Origin', 'https://evil.example.test')
      .set('X-API-Key', ADMIN_KEY);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('without CORS_ORIGINS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('grants no origin', async () => {
    const res = await t.http.get('/v1/workflows').set('Origin', ORIGIN).set('X-API-Key', ADMIN_KEY);
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers a reconnect to a finished event stream with 204, so an EventSource stops (the documented client)', async () => {
    const workflow = await createWorkflow(t.http);
    const run = (
      await t.http
        .post(`/v1/workflows/${workflow.id}/runs/sync`)
        .set('X-API-Key', ADMIN_KEY)
        .send({ input: { 'User Question': 'sse' } })
    ).body;
    await t.app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;

    const requests: { lastEventId: string | null; status: number }[] = [];
    const events: { type: string; id: string }[] = [];
    let failure: ErrorEvent | undefined;
    const source = new EventSource(`${base}/v1/runs/${run.id}/events`, {
      fetch: async (input, init) => {
        const headers = { ...init.headers, 'X-API-Key': ADMIN_KEY };
        const response = await fetch(input, { ...init, headers });
        requests.push({ lastEventId: new Headers(headers).get('last-event-id'), status: response.status });
        return response;
      },
    });
    for (const type of ['run.queued', 'run.started', 'node.started', 'node.completed', 'run.completed']) {
      source.addEventListener(type, (event) => events.push({ type, id: event.lastEventId }));
    }
    source.onerror = (event) => (failure = event);
    try {
      await waitFor(async () => (source.readyState === EventSource.CLOSED ? true : undefined), 15_000);
    } finally {
      source.close();
    }
    const last = events.at(-1)!;
    expect(last.type).toBe('run.completed');
    expect(requests).toEqual([
      { lastEventId: null, status: 200 },
      { lastEventId: last.id, status: 204 },
    ]);
    expect(failure?.code).toBe(204);
  });
});
