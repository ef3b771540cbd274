import { createHmac, randomBytes } from 'node:crypto';
import { expect } from '@jest/globals';
import type TestAgent from 'supertest/lib/agent.js';
import { ADMIN_KEY } from './test-app.js';

/** A trigger as its creation answers: with the URL's path and the secret, shown this once. */
export interface CreatedTrigger {
  id: string;
  url: string;
  secret: string | null;
  [field: string]: unknown;
}

/** Creates a trigger on the workflow with the admin key (or `key`) and expects 201. */
export async function createTrigger(
  http: TestAgent,
  workflowId: string,
  body: Record<string, unknown>,
  key = ADMIN_KEY,
): Promise<CreatedTrigger> {
  const res = await http.post(`/v1/workflows/${workflowId}/triggers`).set('X-API-Key', key).send(body);
  expect(res.status).toBe(201);
  return res.body as CreatedTrigger;
}

/** The headers GitHub sends: X-Hub-Signature-256 over the exact body, and a fresh delivery GUID unless given. */
export function githubHeaders(secret: string, body: string, delivery = randomBytes(8).toString('hex')) {
  return {
    'Content-Type': 'application/json',
    'X-GitHub-Event': 'push',
    'X-GitHub-Delivery': delivery,
    'X-Hub-Signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
  };
}

/** Stripe's scheme, computed as Stripe documents it: v1 = hex HMAC-SHA256 of `${t}.${body}` under the secret. */
export function stripeHeaders(secret: string, body: string, t = Math.floor(Date.now() / 1000)) {
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return { 'Content-Type': 'application/json', 'Stripe-Signature': `t=${t},v1=${'0'.repeat(64)},v1=${v1}` };
}

/** Standard Webhooks computed by hand: base64 HMAC-SHA256 of `${id}.${timestamp}.${body}` under the whsec_ key. */
export function standardWebhookHeaders(secret: string, id: string, body: string, at = Math.floor(Date.now() / 1000)) {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${at}.${body}`).digest('base64');
  return {
    'Content-Type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(at),
    'webhook-signature': `v1,${signature}`,
  };
}
