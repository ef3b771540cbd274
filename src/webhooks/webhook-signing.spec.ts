import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { generateWebhookSecret } from '../auth/api-key-secret.js';
import { signatureHeaders } from './webhook-signing.js';

describe('signatureHeaders', () => {
  const payload = JSON.stringify({ type: 'run.completed', data: { id: 'r1' } });
  const at = new Date();

  it('signs per Standard Webhooks: HMAC-SHA256 over "id.timestamp.body" with the decoded secret', () => {
    const secret = generateWebhookSecret();
    const headers = signatureHeaders('msg_1', payload, [secret], at);
    expect(headers['webhook-id']).toBe('msg_1');
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(at.getTime() / 1000)));
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key)
      .update(`msg_1.${headers['webhook-timestamp']}.${payload}`)
      .digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${expected}`);
    expect(new Webhook(secret).verify(payload, headers)).toEqual(JSON.parse(payload));
  });

  it('adds one signature per secret, each verifiable on its own', () => {
    const [current, previous] = [generateWebhookSecret(), generateWebhookSecret()];
    const headers = signatureHeaders('msg_2', payload, [current, previous], at);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(current).verify(payload, headers)).not.toThrow();
    expect(() => new Webhook(previous).verify(payload, headers)).not.toThrow();
    expect(() => new Webhook(generateWebhookSecret()).verify(payload, headers)).toThrow();
  });
});
