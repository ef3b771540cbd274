import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { expectProblem } from './support/problems.js';
import { ADMIN_KEY, createTestApp, type TestApp } from './support/test-app.js';
import {
  createTrigger,
  githubHeaders,
  standardWebhookHeaders,
  stripeHeaders,
  type CreatedTrigger,
} from './support/triggers.js';
import { sleep, waitFor } from './support/wait.js';
import { WebhookReceiver } from './support/webhook-receiver.js';
import { createWorkflow } from './support/workflows.js';

const MAX_BODY = 4096;

describe('webhook deliveries to /v1/hooks/{token}', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let workflowId: string;

  beforeAll(async () => {
    t = await createTestApp({
      SECRETS_KEY: 'a'.repeat(64),
      TRIGGER_MAX_BODY_BYTES: String(MAX_BODY),
      OUTBOUND_ALLOW_PRIVATE: 'true',
    });
    receiver = await WebhookReceiver.start();
    workflowId = (await createWorkflow(t.http)).id;
  });
  afterAll(async () => {
    await receiver?.close();
    await t?.close();
  });

  const deliver = (trigger: CreatedTrigger, body: string, headers: Record<string, string>, query = '') => {
    const request = t.http.post(`${trigger.url}${query}`);
    for (const [name, value] of Object.entries(headers)) request.set(name, value);
    return request.send(body);
  };
  /** The trigger's runs, as `GET /v1/runs?trigger_id=` finds them. */
  const runsOf = async (triggerId: string) => {
    const res = await t.http.get(`/v1/runs?trigger_id=${triggerId}&limit=100`).set('X-API-Key', ADMIN_KEY);
    const items = res.body.items as { id: string; trigger_id: string | null }[];
    expect(items.every((run) => run.trigger_id === triggerId)).toBe(true);
    return items;
  };
  const finished = (runId: string) =>
    waitFor(async () => {
      const run = (await t.http.get(`/v1/runs/${runId}`).set('X-API-Key', ADMIN_KEY)).body;
      return run.status === 'completed' ? run : undefined;
    }, 10_000);

  describe('github (async)', () => {
    let trigger: CreatedTrigger;
    const push = JSON.stringify({ head_commit: { message: 'fix the build' }, repository: { full_name: 'acme/app' } });

    beforeAll(async () => {
      trigger = await createTrigger(t.http, workflowId, {
        name: 'pushes',
        input_mapping:
          '{ "User Question": body.head_commit.message, "Context": headers."x-github-event" & " " & query.env }',
        verification: { type: 'github' },
        callback_url: receiver.url('/github-done'),
      });
    });

    it('starts a queued run from a signed delivery, mapped from body, headers and query, with its callback', async () => {
      const res = await deliver(trigger, push, githubHeaders(trigger.secret!, push), '?env=prod');
      expect(res.status).toBe(202);
      expect(res.headers.location).toBe(`/v1/workflows/${workflowId}/runs/${res.body.id}`);
      expect(res.body).toMatchObject({
        trigger_id: trigger.id,
        input: { 'User Question': 'fix the build', Context: 'push prod' },
      });
      const run = await finished(res.body.id);
      expect(run.output).toEqual({ Answer: 'fix the build — push prod' });
      const [callback] = await receiver.waitFor('/github-done', 1);
      expect(JSON.parse(callback.body)).toMatchObject({
        type: 'run.completed',
        data: { id: run.id, trigger_id: trigger.id },
      });
      const read = await t.http.get(`/v1/triggers/${trigger.id}`).set('X-API-Key', ADMIN_KEY);
      expect(read.body.last_delivery_at).not.toBeNull();
    });

    it('refuses a wrong or missing signature with 401', async () => {
      expectProblem(
        await deliver(trigger, push, githubHeaders('not-the-secret', push)),
        401,
        'webhook-signature-invalid',
      );
      const unsigned = await deliver(trigger, push, { 'Content-Type': 'application/json' });
      expectProblem(unsigned, 401, 'webhook-signature-invalid');
      // The body the signature was made for, with one byte changed.
      const tampered = await deliver(trigger, push.replace('fix', 'fox'), githubHeaders(trigger.secret!, push));
      expectProblem(tampered, 401);
    });

    it('answers a replayed X-GitHub-Delivery 409 and starts no second run', async () => {
      const headers = githubHeaders(trigger.secret!, push, 'replayed-delivery');
      const before = (await runsOf(trigger.id)).length;
      expect((await deliver(trigger, push, headers)).status).toBe(202);
      const again = await deliver(trigger, push, headers);
      expectProblem(again, 409, 'delivery-replayed');
      expect(again.body).toMatchObject({ trigger_id: trigger.id, delivery_id: 'replayed-delivery' });
      expect((await runsOf(trigger.id)).length).toBe(before + 1);
    });
  });

  describe('standard_webhooks (sync, a 2 s tolerance)', () => {
    let trigger: CreatedTrigger;
    const body = JSON.stringify({ answer: 'What is a queue?' });

    beforeAll(async () => {
      trigger = await createTrigger(t.http, workflowId, {
        name: 'forms',
        mode: 'sync',
        input_mapping: '{ "User Question": body.answer, "Context": query.form }',
        verification: { type: 'standard_webhooks', tolerance_seconds: 2 },
      });
      expect(trigger.secret).toMatch(/^whsec_/);
    });

    it('answers 200 with the finished run, for what the standardwebhooks library signs', async () => {
      const id = `msg_${randomUUID()}`;
      const signature = new Webhook(trigger.secret!).sign(id, new Date(), body);
      const headers = {
        'Content-Type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': signature,
      };
      const res = await deliver(trigger, body, headers, '?form=signup');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'completed',
        trigger_id: trigger.id,
        output: { Answer: 'What is a queue? — signup' },
      });
    });

    it('refuses a stale timestamp with 401 and takes a replayed webhook-id again only after the window', async () => {
      const stale = standardWebhookHeaders(trigger.secret!, 'msg_stale', body, Math.floor(Date.now() / 1000) - 10);
      expectProblem(await deliver(trigger, body, stale, '?form=a'), 401, 'webhook-signature-invalid');

      const id = `msg_${randomUUID()}`;
      expect((await deliver(trigger, body, standardWebhookHeaders(trigger.secret!, id, body), '?form=a')).status).toBe(
        200,
      );
      const replay = await deliver(trigger, body, standardWebhookHeaders(trigger.secret!, id, body), '?form=a');
      expectProblem(replay, 409, 'delivery-replayed');
      await sleep(3_100);
      // The sender's retry after the window, signed afresh with the same id, is a new delivery.
      const later = await deliver(trigger, body, standardWebhookHeaders(trigger.secret!, id, body), '?form=a');
      expect(later.status).toBe(200);
      expect((await runsOf(trigger.id)).length).toBe(3);
    });
  });

  describe('stripe', () => {
    let trigger: CreatedTrigger;
    const event = JSON.stringify({ id: 'evt_1', type: 'invoice.paid', data: { object: { customer: 'cus_9' } } });

    beforeAll(async () => {
      trigger = await createTrigger(t.http, workflowId, {
        name: 'invoices',
        mode: 'sync',
        input_mapping: '{ "User Question": body.type, "Context": body.data.object.customer }',
        verification: { type: 'stripe' },
        secret: 'whsec_stripe_endpoint_secret',
      });
      expect(trigger.verification).toEqual({ type: 'stripe', tolerance_seconds: 300 });
      expect(trigger.secret).toBe('whsec_stripe_endpoint_secret');
    });

    it('accepts a matching v1 among several, refuses stale and replayed ones', async () => {
      const headers = stripeHeaders(trigger.secret!, event);
      const res = await deliver(trigger, event, headers);
      expect(res.status).toBe(200);
      expect(res.body.output).toEqual({ Answer: 'invoice.paid — cus_9' });
      expectProblem(await deliver(trigger, event, headers), 409, 'delivery-replayed');
      const old = stripeHeaders(trigger.secret!, event, Math.floor(Date.now() / 1000) - 301);
      expectProblem(await deliver(trigger, event, old), 401);
      expect((await runsOf(trigger.id)).length).toBe(1);
    });
  });

  describe('hmac and none', () => {
    it('checks an HMAC-SHA512 in base64 after a prefix, over a form body, replays named by id_header', async () => {
      const trigger = await createTrigger(t.http, workflowId, {
        name: 'orders',
        mode: 'sync',
        input_mapping: '{ "User Question": body.note, "Context": $join(body.tag, "+") }',
        verification: {
          type: 'hmac',
          header: 'X-Shop-Signature',
          algorithm: 'sha512',
          encoding: 'base64',
          prefix: 'v1=',
          id_header: 'X-Shop-Delivery',
        },
        secret: 'shop-shared-secret',
      });
      const form = 'note=ship+it&tag=red&tag=big';
      const mac = createHmac('sha512', 'shop-shared-secret').update(form).digest('base64');
      const headers = {
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-Shop-Signature': `v1=${mac}`,
        'X-Shop-Delivery': 'order-1',
      };
      const res = await deliver(trigger, form, headers);
      expect(res.status).toBe(200);
      expect(res.body.output).toEqual({ Answer: 'ship it — red+big' });
      expectProblem(await deliver(trigger, form, headers), 409);
      expectProblem(await deliver(trigger, form, { ...headers, 'X-Shop-Signature': mac }), 401);
    });

    it('takes a text body with the token alone', async () => {
      const trigger = await createTrigger(t.http, workflowId, {
        name: 'plain',
        mode: 'sync',
        input_mapping: '{ "User Question": body, "Context": query.from }',
        verification: { type: 'none' },
      });
      expect(trigger.secret).toBeNull();
      const res = await deliver(trigger, 'hello there', { 'Content-Type': 'text/plain' }, '?from=cron');
      expect(res.status).toBe(200);
      expect(res.body.output).toEqual({ Answer: 'hello there — cron' });
    });
  });

  describe('refusals', () => {
    let trigger: CreatedTrigger;

    beforeAll(async () => {
      trigger = await createTrigger(t.http, workflowId, {
        name: 'refusals',
        input_mapping: 'body.wrapper',
        verification: { type: 'none' },
      });
    });

    it(`answers 413 past TRIGGER_MAX_BODY_BYTES (${MAX_BODY})`, async () => {
      const big = JSON.stringify({ wrapper: { 'User Question': 'x'.repeat(MAX_BODY) } });
      expectProblem(await deliver(trigger, big, { 'Content-Type': 'application/json' }), 413, 'payload-too-large');
    });

    it('answers 422 naming the trigger when the mapping gives no object, and 422 for a run input the workflow refuses', async () => {
      const res = await deliver(trigger, '{"other": 1}', { 'Content-Type': 'application/json' });
      expectProblem(res, 422, 'trigger-mapping-failed');
      expect(res.body.detail).toContain(`"refusals" (${trigger.id})`);
      const wrong = await deliver(trigger, '{"wrapper": {"Unknown": 1}}', { 'Content-Type': 'application/json' });
      expectProblem(wrong, 422);
      expectProblem(await deliver(trigger, '{not json', { 'Content-Type': 'application/json' }), 400, 'malformed-json');
      expect(await runsOf(trigger.id)).toEqual([]);
    });

    it("forgets a delivery id whose run was refused, so the sender's retry is taken", async () => {
      const named = await createTrigger(t.http, workflowId, {
        name: 'named deliveries',
        input_mapping: 'body.wrapper',
        verification: { type: 'none', id_header: 'X-Delivery' },
      });
      const headers = { 'Content-Type': 'application/json', 'X-Delivery': 'retry-me' };
      expectProblem(await deliver(named, '{"wrapper": {"Unknown": 1}}', headers), 422);
      const retried = await deliver(named, '{"wrapper": {"User Question": "fixed"}}', headers);
      expect(retried.status).toBe(202);
      expectProblem(await deliver(named, '{"wrapper": {"User Question": "fixed"}}', headers), 409, 'delivery-replayed');
      expect(await runsOf(named.id)).toHaveLength(1);
    });

    it('answers a repeated Idempotency-Key with the run it created, as run creation does', async () => {
      const headers = { 'Content-Type': 'application/json', 'Idempotency-Key': 'hook-key-1' };
      const body = '{"wrapper": {"User Question": "once"}}';
      const first = await deliver(trigger, body, headers);
      const second = await deliver(trigger, body, headers);
      expect([first.status, second.status]).toEqual([202, 202]);
      expect(second.body.id).toBe(first.body.id);
    });

    it('answers an unknown and a disabled trigger with the same 404', async () => {
      const body = '{"wrapper": {"User Question": "hi"}}';
      const unknown = await t.http.post('/v1/hooks/rlh_unknown').set('Content-Type', 'application/json').send(body);
      expectProblem(unknown, 404);
      const patched = await t.http
        .patch(`/v1/triggers/${trigger.id}`)
        .set('X-API-Key', ADMIN_KEY)
        .send({ enabled: false });
      expect(patched.body.enabled).toBe(false);
      const disabled = await deliver(trigger, body, { 'Content-Type': 'application/json' });
      expectProblem(disabled, 404);
      expect(disabled.body.detail).toBe(unknown.body.detail);
      await t.http.patch(`/v1/triggers/${trigger.id}`).set('X-API-Key', ADMIN_KEY).send({ enabled: true });
      expect((await deliver(trigger, body, { 'Content-Type': 'application/json' })).status).toBe(202);
    });
  });
});
