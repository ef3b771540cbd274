import { expect } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { ADMIN_KEY, createTestApp, type TestApp } from './test-app.js';
import { sleep } from './wait.js';
import { WebhookReceiver, type Received } from './webhook-receiver.js';
import { createWorkflow } from './workflows.js';

/** The manual check: HMAC-SHA256 over "id.timestamp.body", keyed with the base64-decoded secret. */
export function manualSignature(secret: string, request: Received): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const signed = `${request.headers['webhook-id']}.${request.headers['webhook-timestamp']}.${request.body}`;
  return `v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
}

/** The `v1,…` signatures a callback carries. */
export function signatures(request: Received): string[] {
  return String(request.headers['webhook-signature']).split(' ');
}

/** A test app, a webhook receiver and the seed workflow, with the calls callback tests make (as the admin). */
export class CallbackHarness {
  private constructor(
    readonly t: TestApp,
    readonly receiver: WebhookReceiver,
    readonly seed: { id: string },
  ) {}

  static async start(env: Record<string, string>): Promise<CallbackHarness> {
    const receiver = await WebhookReceiver.start();
    const t = await createTestApp(env);
    return new CallbackHarness(t, receiver, await createWorkflow(t.http));
  }

  get(path: string) {
    return this.t.http.get(path).set('X-API-Key', ADMIN_KEY);
  }

  post(path: string, body: object = {}) {
    return this.t.http.post(path).set('X-API-Key', ADMIN_KEY).send(body);
  }

  async secret(): Promise<string> {
    return (await this.get(`/v1/groups/${this.t.defaultGroupId}`)).body.webhook_secret;
  }

  /** A sync run calling back to `path` on the receiver (or to `url`). */
  async runSync(path: string, workflowId = this.seed.id, input: object = { 'User Question': 'hi' }, url?: string) {
    const res = await this.post(`/v1/workflows/${workflowId}/runs/sync`, {
      input,
      callback_url: url ?? this.receiver.url(path),
    });
    expect([200, 202]).toContain(res.status);
    return res.body;
  }

  /** The run's recorded callback attempts, once there are at least `count` (or the time is up). */
  async attempts(runId: string, count: number, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await this.get(`/v1/runs/${runId}/callbacks`);
      expect(res.status).toBe(200);
      if (res.body.items.length >= count || Date.now() > deadline) return res.body.items;
      await sleep(25);
    }
  }

  async close(): Promise<void> {
    await this.t.close();
    await this.receiver.close();
  }
}
