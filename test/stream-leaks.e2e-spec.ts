import { get } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { createWorkflow, delayWorkflow } from './support/workflows.js';

const MAX_STREAMS = 5;

/** Opens a raw stream request and destroys the socket at the chosen moment. */
function dropStream(port: number, path: string, moment: 'at-once' | 'soon' | 'after-first-bytes'): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nX-API-Key: ${ADMIN_KEY}\r\nLast-Event-ID: 0\r\n\r\n`);
      if (moment === 'at-once') socket.destroy();
      else if (moment === 'soon') setTimeout(() => socket.destroy(), Math.random() * 20);
    });
    socket.once('data', () => socket.destroy());
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
  });
}

describe('event streams release everything when the client goes away', () => {
  let t: TestApp;
  let port: number;
  let runningRun: string;
  let finishedRun: string;
  let slowWorkflow: string;
  // Read on a connection closed right after, so the reading itself leaves no keep-alive socket behind.
  const metric = () =>
    new Promise<string | undefined>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: '/metrics', agent: false, headers: { Connection: 'close' } }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        // The per-type gauge (`{type="Timeout"}`, …); summed, it counts every active resource.
        res.on('end', () => {
          const counts = [...text.matchAll(/^runloom_nodejs_active_resources\{[^}]*\} (\d+)$/gm)];
          resolve(counts.length ? String(counts.reduce((sum, [, n]) => sum + Number(n), 0)) : undefined);
        });
      }).on('error', reject);
    });
  const activeResources = async () => Number(await metric());

  beforeAll(async () => {
    t = await createTestApp({ MAX_STREAMS_PER_KEY: String(MAX_STREAMS), SSE_HEARTBEAT_MS: '100' });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as { port: number }).port;
    const slow = await createWorkflow(t.http, delayWorkflow(60_000));
    slowWorkflow = slow.id;
    const started = await t.http.post(`/v1/workflows/${slow.id}/runs`).set('X-API-Key', ADMIN_KEY).send({ input: {} });
    runningRun = started.body.id;
    const fast = await createWorkflow(t.http, delayWorkflow(1));
    const done = await t.http
      .post(`/v1/workflows/${fast.id}/runs/sync`)
      .set('X-API-Key', ADMIN_KEY)
      .send({ input: {} });
    finishedRun = done.body.id;
  });
  afterAll(async () => {
    await t.http.post(`/v1/runs/${runningRun}/stop`).set('X-API-Key', ADMIN_KEY);
    await t.close();
  });

  it('publishes runloom_nodejs_active_resources', async () => {
    expect(await metric()).toMatch(/^\d+$/);
  });

  it('returns to the baseline of active resources after hundreds of dropped streams', async () => {
    const paths = [
      `/v1/runs/${runningRun}/events`,
      `/v1/runs/${finishedRun}/events`,
      '/v1/debugger/leak-check/events',
      `/v1/workflows/${slowWorkflow}/events`,
    ];
    const moments = ['at-once', 'soon', 'after-first-bytes'] as const;
    const dropRounds = async (rounds: number) => {
      for (let round = 0; round < rounds; round++) {
        // MAX_STREAMS at a time, so the per-key limit never refuses one.
        await Promise.all(
          Array.from({ length: MAX_STREAMS }, (_, index) =>
            dropStream(port, paths[(round + index) % paths.length], moments[(round * MAX_STREAMS + index) % 3]),
          ),
        );
      }
    };
    // First rounds grow the database pool to what streams use. Idle pool connections close after
    // 10 s, so the wait below allows that long for any opened beyond those.
    await dropRounds(5);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const baseline = await activeResources();
    await dropRounds(40);
    const deadline = Date.now() + 12_000;
    let now = await activeResources();
    while (now > baseline + 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      now = await activeResources();
    }
    expect(now).toBeLessThanOrEqual(baseline + 2);
    // Every slot came back: the key can open its full share again.
    const streams = await Promise.all(
      Array.from({ length: MAX_STREAMS }, () => {
        const controller = new AbortController();
        return fetch(`http://127.0.0.1:${port}/v1/runs/${runningRun}/events`, {
          headers: { 'X-API-Key': ADMIN_KEY },
          signal: controller.signal,
        }).then((response) => ({ response, controller }));
      }),
    );
    expect(streams.map((stream) => stream.response.status)).toEqual(Array(MAX_STREAMS).fill(200));
    for (const stream of streams) stream.controller.abort();
  }, 60_000);

  it('answers 429 problem+json past MAX_STREAMS_PER_KEY open streams, and frees a slot when one closes', async () => {
    const controllers = Array.from({ length: MAX_STREAMS }, () => new AbortController());
    const url = `http://127.0.0.1:${port}/v1/debugger/limit-check/events`;
    const open = (signal?: AbortSignal) => fetch(url, { headers: { 'X-API-Key': ADMIN_KEY }, signal });
    const wait = Date.now() + 5000;
    let opened = await Promise.all(controllers.map((controller) => open(controller.signal).catch(() => null)));
    while (opened.some((res) => res?.status !== 200) && Date.now() < wait) {
      // Slots of the previous test's streams are freed as their sockets close.
      for (const controller of controllers) controller.abort();
      await new Promise((resolve) => setTimeout(resolve, 100));
      controllers.splice(0, MAX_STREAMS, ...controllers.map(() => new AbortController()));
      opened = await Promise.all(controllers.map((controller) => open(controller.signal).catch(() => null)));
    }
    expect(opened.map((res) => res?.status)).toEqual(Array(MAX_STREAMS).fill(200));
    const refused = await open();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(((await refused.json()) as { detail: string }).detail).toContain('MAX_STREAMS_PER_KEY');
    controllers[0].abort();
    let again = await open(controllers[1].signal);
    const deadline = Date.now() + 5000;
    while (again.status === 429 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      again = await open();
    }
    expect(again.status).toBe(200);
    for (const controller of controllers) controller.abort();
    await again.body?.cancel().catch(() => undefined);
  }, 30_000);
});
