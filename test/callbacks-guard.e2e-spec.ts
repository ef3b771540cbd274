import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CallbackHarness } from './support/callbacks.js';
import { sleep } from './support/wait.js';

describe('callbacks with the outbound guard on (OUTBOUND_ALLOW_PRIVATE unset)', () => {
  let h: CallbackHarness;

  beforeAll(async () => {
    h = await CallbackHarness.start({ WEBHOOK_RETRY_SCHEDULE: '100ms,100ms,100ms' });
  });
  afterAll(() => h.close());

  it.each([
    ['127.0.0.1', 'loopback'],
    ['localhost', 'loopback'],
    ['[::1]', 'loopback'],
    ['[::ffff:127.0.0.1]', 'loopback'],
    ['10.1.2.3', 'private'],
    ['192.168.0.10', 'private'],
    ['100.64.1.1', 'cgnat'],
    ['169.254.169.254', 'metadata'],
    ['[fd00:ec2::254]', 'metadata'],
    ['[fe80::1]', 'link-local'],
  ])('refuses a callback to %s (%s): recorded on the attempt, not retried, nothing sent', async (host, reason) => {
    const url = h.receiver.url('/private', host);
    const run = await h.runSync('/private', undefined, undefined, url);
    expect(run.status).toBe('completed');
    const [attempt] = await h.attempts(run.id, 1);
    expect(attempt).toMatchObject({
      url,
      attempt: 1,
      status_code: null,
      error_class: 'refused_address',
      next_attempt_at: null,
      delivered_at: null,
    });
    expect(attempt.error).toContain(`is not a public address (${reason})`);
    expect(attempt.error).toContain('OUTBOUND_ALLOW_PRIVATE');
    await sleep(400);
    expect(await h.attempts(run.id, 2, 0)).toHaveLength(1);
    expect(h.receiver.received).toHaveLength(0);
  });

  it('a redelivery to a refused address is refused the same way', async () => {
    const run = await h.runSync('/private');
    await h.attempts(run.id, 1);
    expect((await h.post(`/v1/runs/${run.id}/callbacks/redeliver`)).status).toBe(202);
    const items = await h.attempts(run.id, 2);
    expect(items[1]).toMatchObject({ chain: 2, attempt: 1, error_class: 'refused_address', next_attempt_at: null });
    expect(h.receiver.received).toHaveLength(0);
  });
});
