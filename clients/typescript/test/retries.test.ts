import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Runloom, RunloomError } from '../src/index.js';
import { retryAfterMs } from '../src/retry-after.js';
import { json, problem, sampleRun, scriptedServer, type ScriptedServer } from './support/scripted-server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
let server: ScriptedServer;
afterEach(() => server.close());

describe('retries', () => {
  it('retries a run creation after 503 and 429, honouring Retry-After, with the same Idempotency-Key', async () => {
    server = await scriptedServer((_, response, index) => {
      if (index === 0) return json(response, 503, problem(503, 'Unavailable'), { 'Retry-After': '1' });
      if (index === 1) {
        return json(response, 429, problem(429, 'Too many'), {
          'Retry-After': new Date(Date.now() - 5000).toUTCString(),
        });
      }
      json(response, 202, sampleRun('r1'));
    });
    const client = new Runloom({ baseUrl: server.url, apiKey: 'rl_key' });

    const handle = await client.runAsync('w1', { q: 1 }, { metadata: { source: 'test' } });

    assert.equal(handle.id, 'r1');
    const keys = server.received.map((request) => request.headers['idempotency-key']);
    assert.equal(keys.length, 3);
    assert.match(String(keys[0]), UUID);
    assert.deepEqual(new Set(keys).size, 1);
    assert.ok(server.received[1]!.at - server.received[0]!.at >= 950, 'waited the second Retry-After asked for');
    for (const request of server.received) {
      assert.equal(request.url, '/v1/workflows/w1/runs');
      assert.equal(request.headers['x-api-key'], 'rl_key');
      assert.deepEqual(JSON.parse(request.body), { input: { q: 1 }, metadata: { source: 'test' } });
    }
  });

  it("sends the caller's Idempotency-Key, and a new one per creation otherwise", async () => {
    server = await scriptedServer((_, response) => json(response, 202, sampleRun('r1')));
    const client = new Runloom({ baseUrl: server.url });
    await client.runAsync('w1', {}, { idempotencyKey: 'order-17' });
    await client.runAsync('w1', {});
    await client.runAsync('w1', {});
    const [given, first, second] = server.received.map((request) => request.headers['idempotency-key']);
    assert.equal(given, 'order-17');
    assert.notEqual(first, second);
  });

  it('gives up after the bounded number of attempts with the last error', async () => {
    server = await scriptedServer((_, response) =>
      json(response, 503, problem(503, 'Unavailable'), { 'Retry-After': '0' }),
    );
    const client = new Runloom({ baseUrl: server.url, retries: 2 });
    await assert.rejects(
      client.runSync('w1', {}),
      (error: unknown) => error instanceof RunloomError && error.status === 503,
    );
    assert.equal(server.received.length, 3);
  });

  it('does not retry when Retry-After asks for longer than maxRetryDelayMs, and says how long', async () => {
    server = await scriptedServer((_, response) =>
      json(response, 429, problem(429, 'Too many'), { 'Retry-After': '120' }),
    );
    const client = new Runloom({ baseUrl: server.url, maxRetryDelayMs: 10_000 });
    await assert.rejects(
      client.run('r1').get(),
      (error: unknown) => error instanceof RunloomError && error.retryAfterMs === 120_000,
    );
    assert.equal(server.received.length, 1);
  });

  it('retries a 429 of any call, but a 503 only where sending twice is harmless', async () => {
    server = await scriptedServer((_, response, index) => {
      if (index === 0) return json(response, 429, problem(429, 'Too many'), { 'Retry-After': '0' });
      if (index === 1) return json(response, 503, problem(503, 'Unavailable'), { 'Retry-After': '0' });
      json(response, 201, {});
    });
    const client = new Runloom({ baseUrl: server.url });
    await assert.rejects(
      client.workflows.create({ name: 'x', definition: {} }),
      (error: unknown) => error instanceof RunloomError && error.status === 503,
    );
    assert.equal(server.received.length, 2);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-12-04T10:00:00Z');
  it('reads delay-seconds and HTTP-dates', () => {
    assert.equal(retryAfterMs('3', now), 3000);
    assert.equal(retryAfterMs('Fri, 04 Dec 2026 10:00:07 GMT', now), 7000);
    assert.equal(retryAfterMs('Fri, 04 Dec 2026 09:00:00 GMT', now), 0);
  });
  it('ignores what it cannot read', () => {
    assert.equal(retryAfterMs(null, now), undefined);
    assert.equal(retryAfterMs('soon', now), undefined);
    assert.equal(retryAfterMs('-5', now), undefined);
  });
});
