import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app.js';
import { createWorkflow } from './support/workflows.js';

/** Sends `head` (and `body`, if any) on a raw socket; resolves with what the server answered. */
function rawRequest(port: number, head: string, body = ''): Promise<{ text: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let text = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(head + body));
    socket.on('data', (chunk) => (text += chunk));
    socket.on('error', reject);
    const giveUp = setTimeout(() => socket.destroy(), 5000);
    socket.on('close', () => {
      clearTimeout(giveUp); // a pending timer would keep jest from exiting
      resolve({ text, ms: performance.now() - started });
    });
  });
}

const slowBodyHead = (key?: string) =>
  `POST /v1/workflows HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n` +
  (key ? `X-API-Key: ${key}\r\n` : '') +
  '\r\n';

describe('requests: the key before the body, failed authentications, slow and large bodies', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await createTestApp({ BODY_TIMEOUT_MS: '500', AUTH_FAILURES_PER_MINUTE: '20' });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as { port: number }).port;
  });
  afterAll(() => t.close());

  it('answers 401 at once to a request without a valid key, without waiting for its body', async () => {
    for (const key of [undefined, 'rl_NotAKey00000000000000000000000000000000']) {
      const { text, ms } = await rawRequest(port, slowBodyHead(key), '{"name":');
      expect(text).toMatch(/^HTTP\/1\.1 401/);
      expect(text).toContain('application/problem+json');
      expect(ms).toBeLessThan(400);
    }
  });

  it('cuts off a body that arrives too slowly with 408 and closes the connection', async () => {
    const { text, ms } = await rawRequest(port, slowBodyHead(ADMIN_KEY), '{"name":');
    expect(text).toMatch(/^HTTP\/1\.1 408/);
    expect(text).toContain('"status":408');
    expect(text.toLowerCase()).toContain('connection: close');
    expect(ms).toBeGreaterThanOrEqual(450);
    expect(ms).toBeLessThan(3000);
  });

  it('parses and checks a 2 MB body of a million elements in about the time of JSON.parse', async () => {
    const workflow = await createWorkflow(t.http);
    const text = JSON.stringify({ input: { list: Array.from({ length: 1_000_000 }, (_, i) => i % 10) } });
    const parseStarted = performance.now();
    JSON.parse(text);
    const parseMs = performance.now() - parseStarted;
    const started = performance.now();
    const res = await t.http
      .post(`/v1/workflows/${workflow.id}/runs/sync`)
      .set('X-API-Key', ADMIN_KEY)
      .set('Content-Type', 'application/json')
      .send(text);
    const requestMs = performance.now() - started;
    expect(res.status).toBe(422); // `list` is no input of the seed workflow
    // Generous for a loaded machine: the old checks alone took 0.5–0.9 s on a body like this.
    expect(requestMs).toBeLessThan(Math.max(20 * parseMs, 400));
  });

  it('rate-limits failed authentications per client address, but not requests with a valid key', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 25; attempt++) {
      const res = await t.http.get('/v1/workflows').set('X-API-Key', `rl_Guess${String(attempt).padStart(36, '0')}`);
      statuses.push(res.status);
    }
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(20);
    const limited = await t.http.get('/v1/workflows').set('X-API-Key', 'rl_Guess9999999999999999999999999999999999');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect((await t.http.get('/v1/workflows')).status).toBe(429);
    expect((await t.http.get('/v1/workflows').set('X-API-Key', ADMIN_KEY)).status).toBe(200);
  });
});
