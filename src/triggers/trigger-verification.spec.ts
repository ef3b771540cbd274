import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { sign as signGitHub, verify as verifyGitHub } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import {
  FIXED_REPLAY_WINDOW_SECONDS,
  generateSecret,
  secretProblem,
  type Verification,
  verifyDelivery,
} from './trigger-verification.js';

const BODY = Buffer.from('{"event":"paid","amount":42}');
const NOW = 1_800_000_000;

const hex = (algorithm: string, key: string | Buffer, data: string | Buffer) =>
  createHmac(algorithm, key).update(data).digest('hex');

describe('verifyDelivery', () => {
  describe('standard_webhooks', () => {
    const verification: Verification = { type: 'standard_webhooks', tolerance_seconds: 300 };
    const secret = generateSecret(verification);
    const signed = (id: string, at: number, body = BODY) => {
      const signature = new Webhook(secret).sign(id, new Date(at * 1000), body.toString());
      return { 'webhook-id': id, 'webhook-timestamp': String(at), 'webhook-signature': signature };
    };

    it('accepts what the standardwebhooks library signs, and names the delivery by webhook-id', () => {
      const verdict = verifyDelivery(verification, secret, {
        rawBody: BODY,
        headers: signed('msg_1', NOW),
        nowSeconds: NOW,
      });
      expect(verdict).toEqual({ ok: true, deliveryId: 'msg_1', replayWindowSeconds: 300 });
    });

    it('accepts one matching signature among several (a rotated secret)', () => {
      const headers = signed('msg_2', NOW);
      headers['webhook-signature'] = `v1,${Buffer.alloc(32).toString('base64')} ${headers['webhook-signature']}`;
      expect(verifyDelivery(verification, secret, { rawBody: BODY, headers, nowSeconds: NOW }).ok).toBe(true);
    });

    it('refuses another body, a stale or future timestamp, and missing headers', () => {
      const headers = signed('msg_3', NOW);
      expect(verifyDelivery(verification, secret, { rawBody: Buffer.from('{}'), headers, nowSeconds: NOW }).ok).toBe(
        false,
      );
      expect(verifyDelivery(verification, secret, { rawBody: BODY, headers, nowSeconds: NOW + 301 })).toMatchObject({
        ok: false,
        reason: expect.stringContaining('300 s'),
      });
      expect(verifyDelivery(verification, secret, { rawBody: BODY, headers, nowSeconds: NOW - 301 }).ok).toBe(false);
      expect(verifyDelivery(verification, secret, { rawBody: BODY, headers: {}, nowSeconds: NOW }).ok).toBe(false);
    });
  });

  describe('github', () => {
    const verification: Verification = { type: 'github' };
    it('checks X-Hub-Signature-256 over the raw body and names the delivery by X-GitHub-Delivery', () => {
      const headers = {
        'x-hub-signature-256': `sha256=${hex('sha256', 'gh-secret', BODY)}`,
        'x-github-delivery': 'd-1',
      };
      expect(verifyDelivery(verification, 'gh-secret', { rawBody: BODY, headers, nowSeconds: NOW })).toEqual({
        ok: true,
        deliveryId: 'd-1',
        replayWindowSeconds: FIXED_REPLAY_WINDOW_SECONDS,
      });
      expect(verifyDelivery(verification, 'other', { rawBody: BODY, headers, nowSeconds: NOW }).ok).toBe(false);
      const bad = { 'x-hub-signature-256': 'sha256=zz' };
      expect(verifyDelivery(verification, 'gh-secret', { rawBody: BODY, headers: bad, nowSeconds: NOW }).ok).toBe(
        false,
      );
    });
  });

  describe("github, against GitHub's own library (@octokit/webhooks-methods)", () => {
    const verification: Verification = { type: 'github' };
    const payload = BODY.toString();

    it('accepts what it signs, and it verifies what is accepted here', async () => {
      const headers = { 'x-hub-signature-256': await signGitHub('gh-secret', payload), 'x-github-delivery': 'd-2' };
      expect(verifyDelivery(verification, 'gh-secret', { rawBody: BODY, headers, nowSeconds: NOW }).ok).toBe(true);
      expect(await verifyGitHub('gh-secret', payload, `sha256=${hex('sha256', 'gh-secret', BODY)}`)).toBe(true);
      const other = { ...headers, 'x-hub-signature-256': await signGitHub('another-secret', payload) };
      expect(verifyDelivery(verification, 'gh-secret', { rawBody: BODY, headers: other, nowSeconds: NOW }).ok).toBe(
        false,
      );
    });
  });

  describe("stripe, against Stripe's own library (stripe)", () => {
    const verification: Verification = { type: 'stripe', tolerance_seconds: 300 };
    const secret = 'whsec_stripe_library';
    // The library's webhook helpers need no API call; the key only builds the client.
    const { webhooks } = new Stripe('sk_test_not_used');
    const now = () => Math.floor(Date.now() / 1000);

    it('accepts the header it signs, within the tolerance and not after it', () => {
      const t = now();
      const header = webhooks.generateTestHeaderString({ payload: BODY.toString(), secret, timestamp: t });
      const headers = { 'stripe-signature': header };
      expect(verifyDelivery(verification, secret, { rawBody: BODY, headers, nowSeconds: t + 299 }).ok).toBe(true);
      expect(verifyDelivery(verification, secret, { rawBody: BODY, headers, nowSeconds: t + 301 }).ok).toBe(false);
      expect(verifyDelivery(verification, 'whsec_other', { rawBody: BODY, headers, nowSeconds: t }).ok).toBe(false);
    });

    it('makes the same verdict as its constructEvent on a header made here', () => {
      const t = now();
      const header = `t=${t},v1=${hex('sha256', secret, `${t}.${BODY.toString()}`)}`;
      expect(webhooks.constructEvent(BODY, header, secret, 300)).toEqual(JSON.parse(BODY.toString()));
      const stale = `t=${t - 400},v1=${hex('sha256', secret, `${t - 400}.${BODY.toString()}`)}`;
      expect(() => webhooks.constructEvent(BODY, stale, secret, 300)).toThrow();
      const headers = { 'stripe-signature': stale };
      expect(verifyDelivery(verification, secret, { rawBody: BODY, headers, nowSeconds: t }).ok).toBe(false);
    });
  });

  describe('stripe', () => {
    const verification: Verification = { type: 'stripe', tolerance_seconds: 300 };
    const secret = 'whsec_stripe_test';
    const v1 = (t: number) => hex('sha256', secret, `${t}.${BODY.toString()}`);

    it('accepts any matching v1 within the tolerance; t and the signature name the delivery', () => {
      const headers = { 'stripe-signature': `t=${NOW},v1=${'0'.repeat(64)},v1=${v1(NOW)},v0=abc` };
      expect(verifyDelivery(verification, secret, { rawBody: BODY, headers, nowSeconds: NOW + 10 })).toEqual({
        ok: true,
        deliveryId: `t=${NOW},v1=${v1(NOW)}`,
        replayWindowSeconds: 300,
      });
    });

    it('refuses a stale timestamp, a wrong signature and a header without t', () => {
      const headers = { 'stripe-signature': `t=${NOW},v1=${v1(NOW)}` };
      expect(verifyDelivery(verification, secret, { rawBody: BODY, headers, nowSeconds: NOW + 301 }).ok).toBe(false);
      const wrong = { 'stripe-signature': `t=${NOW},v1=${v1(NOW + 1)}` };
      expect(verifyDelivery(verification, secret, { rawBody: BODY, headers: wrong, nowSeconds: NOW }).ok).toBe(false);
      const noT = { 'stripe-signature': `v1=${v1(NOW)}` };
      expect(verifyDelivery(verification, secret, { rawBody: BODY, headers: noT, nowSeconds: NOW }).ok).toBe(false);
    });
  });

  describe('hmac', () => {
    it.each([
      ['sha256', 'hex', 'sha256='],
      ['sha512', 'base64', undefined],
      ['sha1', 'hex', undefined],
    ] as const)('checks %s in %s with prefix %s', (algorithm, encoding, prefix) => {
      const verification: Verification = {
        type: 'hmac',
        header: 'X-Signature',
        algorithm,
        encoding,
        prefix,
        id_header: 'X-Delivery',
      };
      const mac = createHmac(algorithm, 'k').update(BODY).digest(encoding);
      const headers = { 'x-signature': `${prefix ?? ''}${mac}`, 'x-delivery': 'abc' };
      expect(verifyDelivery(verification, 'k', { rawBody: BODY, headers, nowSeconds: NOW })).toEqual({
        ok: true,
        deliveryId: 'abc',
        replayWindowSeconds: FIXED_REPLAY_WINDOW_SECONDS,
      });
      expect(verifyDelivery(verification, 'not-k', { rawBody: BODY, headers, nowSeconds: NOW }).ok).toBe(false);
      expect(verifyDelivery(verification, 'k', { rawBody: BODY, headers: {}, nowSeconds: NOW }).ok).toBe(false);
    });
  });

  it('none accepts every delivery, named by its id header when it has one', () => {
    const verification: Verification = { type: 'none', id_header: 'Idempotency-Key' };
    const headers = { 'idempotency-key': 'k-1' };
    expect(verifyDelivery(verification, undefined, { rawBody: BODY, headers, nowSeconds: NOW })).toMatchObject({
      ok: true,
      deliveryId: 'k-1',
    });
    expect(verifyDelivery({ type: 'none' }, undefined, { rawBody: BODY, headers, nowSeconds: NOW }).ok).toBe(true);
  });
});

describe('secrets', () => {
  it('generates whsec_ secrets for Standard Webhooks and checks supplied ones', () => {
    const verification: Verification = { type: 'standard_webhooks', tolerance_seconds: 300 };
    expect(secretProblem(verification, generateSecret(verification))).toBeUndefined();
    expect(secretProblem(verification, 'plain')).toContain('whsec_');
    expect(secretProblem({ type: 'github' }, 'anything')).toBeUndefined();
    expect(generateSecret({ type: 'github' })).toMatch(/^[0-9a-f]{64}$/);
  });
});
