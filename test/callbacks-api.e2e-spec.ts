import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { PrismaService } from '../src/database/prisma.service.js';
import { CallbackHarness, manualSignature, signatures } from './support/callbacks.js';
import { waitFor } from './support/wait.js';
import { createWorkflow, delayWorkflow } from './support/workflows.js';

describe('run callbacks: redelivery and secret rotation', () => {
  let h: CallbackHarness;
  let receiver: CallbackHarness['receiver'];
  let long: { id: string };
  const get = (path: string) => h.get(path);
  const post = (path: string, body: object = {}) => h.post(path, body);
  const secret = () => h.secret();
  const runSync = (path: string) => h.runSync(path);
  const attempts = (runId: string, count: number) => h.attempts(runId, count);

  beforeAll(async () => {
    h = await CallbackHarness.start({ OUTBOUND_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCHEDULE: '100ms,200ms,300ms' });
    receiver = h.receiver;
    long = await createWorkflow(h.t.http, delayWorkflow(20_000));
  });
  afterAll(() => h.close());

  it('redelivers on request: a new chain, the same webhook-id and body', async () => {
    const groupSecret = await secret();
    const run = await runSync('/again');
    const [first] = await receiver.waitFor('/again', 1);
    await attempts(run.id, 1);
    const res = await post(`/v1/runs/${run.id}/callbacks/redeliver`);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ run_id: run.id, message_id: `msg_${run.id}`, chain: 2 });
    const [, second] = await receiver.waitFor('/again', 2);
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(second.body).toBe(first.body);
    expect(() => new Webhook(groupSecret).verify(second.body, second.headers as Record<string, string>)).not.toThrow();
    const items = await attempts(run.id, 2);
    expect(items.map((a: { chain: number; attempt: number }) => [a.chain, a.attempt])).toEqual([
      [1, 1],
      [2, 1],
    ]);
  });

  it('a redelivery supersedes a chain that is still retrying', async () => {
    let redelivered = false;
    receiver.respond('/waiting', () =>
      redelivered ? { status: 200 } : { status: 503, headers: { 'Retry-After': '30' } },
    );
    const run = await runSync('/waiting');
    const [first] = await attempts(run.id, 1);
    expect(first.next_attempt_at).not.toBeNull();
    redelivered = true;
    expect((await post(`/v1/runs/${run.id}/callbacks/redeliver`)).status).toBe(202);
    await receiver.waitFor('/waiting', 2);
    const items = await waitFor(async () => {
      const recorded = await attempts(run.id, 2);
      return recorded[1]?.status_code ? recorded : undefined;
    }, 5_000);
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ chain: 1, attempt: 1, status_code: 503, next_attempt_at: null });
    expect(items[1]).toMatchObject({ chain: 2, attempt: 1, status_code: 200 });
  });

  it('redelivery answers 409 without a callback_url or before the run finished, 404 outside the group', async () => {
    const plain = await post(`/v1/workflows/${h.seed.id}/runs/sync`, { input: { 'User Question': 'no callback' } });
    const noCallback = await post(`/v1/runs/${plain.body.id}/callbacks/redeliver`);
    expect(noCallback.status).toBe(409);
    expect(noCallback.headers['content-type']).toContain('application/problem+json');
    expect(noCallback.body.detail).toContain('callback_url');
    expect((await get(`/v1/runs/${plain.body.id}/callbacks`)).body).toEqual({ items: [] });

    const running = await post(`/v1/workflows/${long.id}/runs`, {
      input: {},
      callback_url: receiver.url('/unfinished'),
    });
    const early = await post(`/v1/runs/${running.body.id}/callbacks/redeliver`);
    expect(early.status).toBe(409);
    expect(['queued', 'running']).toContain(early.body.run_status);
    await post(`/v1/runs/${running.body.id}/stop`);

    const other = await post('/v1/groups', { name: 'elsewhere' });
    const elsewhere = `?group_id=${other.body.id}`;
    expect((await get(`/v1/runs/${plain.body.id}/callbacks${elsewhere}`)).status).toBe(404);
    expect((await post(`/v1/runs/${plain.body.id}/callbacks/redeliver${elsewhere}`)).status).toBe(404);
    expect((await get('/v1/runs/not-a-uuid/callbacks')).status).toBe(404);
  });

  it('rotates the secret (admin only): both secrets sign during the grace period, then only the new one', async () => {
    const member = await post('/v1/api-keys', { name: 'member', role: 'member', group_ids: [h.t.defaultGroupId] });
    const forbidden = await h.t.http
      .post(`/v1/groups/${h.t.defaultGroupId}/webhook-secret/rotate`)
      .set('X-API-Key', member.body.key);
    expect(forbidden.status).toBe(403);
    expect((await post('/v1/groups/00000000-0000-4000-8000-000000000000/webhook-secret/rotate')).status).toBe(404);

    const old = await secret();
    const rotated = await post(`/v1/groups/${h.t.defaultGroupId}/webhook-secret/rotate`);
    expect(rotated.status).toBe(200);
    const fresh = rotated.body.webhook_secret;
    expect(fresh).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(fresh).not.toBe(old);
    expect(rotated.body.group_id).toBe(h.t.defaultGroupId);
    const graceMs = Date.parse(rotated.body.previous_secret_expires_at) - Date.now();
    expect(graceMs).toBeGreaterThan(23.9 * 3600_000);
    expect(graceMs).toBeLessThanOrEqual(24 * 3600_000);
    expect(await secret()).toBe(fresh);

    await runSync('/rotated');
    const [during] = await receiver.waitFor('/rotated', 1);
    expect(signatures(during)).toEqual([manualSignature(fresh, during), manualSignature(old, during)]);
    for (const key of [fresh, old]) {
      expect(() => new Webhook(key).verify(during.body, during.headers as Record<string, string>)).not.toThrow();
    }

    await h.t.app.get(PrismaService)
      .$executeRaw`UPDATE groups SET previous_secret_expires_at = now() - interval '1 second' WHERE id = ${h.t.defaultGroupId}::uuid`;
    await runSync('/after-grace');
    const [after] = await receiver.waitFor('/after-grace', 1);
    expect(signatures(after)).toEqual([manualSignature(fresh, after)]);
    expect(() => new Webhook(old).verify(after.body, after.headers as Record<string, string>)).toThrow();
  });
});
