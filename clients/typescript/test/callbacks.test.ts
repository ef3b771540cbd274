import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { CallbackVerificationError, verifyCallback } from '../src/index.js';

const SECRET = 'whsec_' + Buffer.from('the-current-secret-of-32-bytes!!').toString('base64');
const PREVIOUS = 'whsec_' + Buffer.from('the-previous-secret-of-32-bytes!').toString('base64');
const BODY = JSON.stringify({
  type: 'run.completed',
  timestamp: '2026-12-04T10:00:00.000Z',
  data: { id: 'r1', status: 'completed' },
});

/** Headers as Runloom sends them: one `v1,` signature per secret (two during a rotation). */
function signed(body: string, secrets: string[], at = new Date()): Record<string, string> {
  return {
    'webhook-id': 'msg_r1',
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign('msg_r1', at, body)).join(' '),
  };
}

const refused = (pattern: RegExp) => (error: unknown) =>
  error instanceof CallbackVerificationError && pattern.test(error.message);

describe('verifyCallback', () => {
  it('returns the payload of a correctly signed callback, from a record or a Headers object', async () => {
    const headers = signed(BODY, [SECRET]);
    assert.deepEqual(await verifyCallback({ secret: SECRET, headers, body: BODY }), JSON.parse(BODY));
    const payload = await verifyCallback({
      secret: SECRET,
      headers: new Headers(headers),
      body: new TextEncoder().encode(BODY),
    });
    assert.equal(payload.data.id, 'r1');
  });

  it('refuses a tampered body and a wrong secret', async () => {
    const headers = signed(BODY, [SECRET]);
    await assert.rejects(
      verifyCallback({ secret: SECRET, headers, body: BODY.replace('r1', 'r2') }),
      refused(/no signature/),
    );
    await assert.rejects(verifyCallback({ secret: PREVIOUS, headers, body: BODY }), refused(/no signature/));
  });

  it('refuses an old timestamp (a replay), and one from the future', async () => {
    const old = signed(BODY, [SECRET], new Date(Date.now() - 10 * 60_000));
    await assert.rejects(verifyCallback({ secret: SECRET, headers: old, body: BODY }), refused(/away from now/));
    const late = signed(BODY, [SECRET], new Date(Date.now() + 10 * 60_000));
    await assert.rejects(verifyCallback({ secret: SECRET, headers: late, body: BODY }), refused(/away from now/));
    assert.ok(await verifyCallback({ secret: SECRET, headers: old, body: BODY, toleranceSeconds: 3600 }));
  });

  it('accepts either secret during a rotation', async () => {
    const headers = signed(BODY, [SECRET, PREVIOUS]);
    assert.ok(await verifyCallback({ secret: PREVIOUS, headers, body: BODY }));
    assert.ok(await verifyCallback({ secret: SECRET, headers, body: BODY }));
    const onlyNew = signed(BODY, [SECRET]);
    assert.ok(await verifyCallback({ secret: [PREVIOUS, SECRET], headers: onlyNew, body: BODY }));
  });

  it('refuses missing headers and a malformed timestamp or secret', async () => {
    const headers = signed(BODY, [SECRET]);
    const { 'webhook-signature': _, ...unsigned } = headers;
    await assert.rejects(verifyCallback({ secret: SECRET, headers: unsigned, body: BODY }), refused(/missing/));
    await assert.rejects(
      verifyCallback({ secret: SECRET, headers: { ...headers, 'webhook-timestamp': 'yesterday' }, body: BODY }),
      refused(/not a Unix time/),
    );
    await assert.rejects(verifyCallback({ secret: 'whsec_***', headers, body: BODY }), refused(/not a whsec_ secret/));
  });
});
