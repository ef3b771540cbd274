import { Webhook } from 'standardwebhooks';

/**
 * Standard Webhooks headers for one attempt. `webhook-id` is the message's (the same on every
 * attempt); the timestamp is the attempt's, so receivers' replay windows hold. Each secret adds
 * one `v1,<base64>` signature: during a rotation's grace period, receivers holding either the new
 * or the previous secret can verify.
 */
export function signatureHeaders(
  messageId: string,
  payload: string,
  secrets: string[],
  at: Date,
): Record<string, string> {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(messageId, at, payload)).join(' '),
  };
}
