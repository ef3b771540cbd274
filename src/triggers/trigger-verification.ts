import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a delivery id is remembered when the scheme has no timestamp to bound replays with. */
export const FIXED_REPLAY_WINDOW_SECONDS = 24 * 60 * 60;
/** Stripe's own libraries refuse signatures older than five minutes; Standard Webhooks' too. */
export const DEFAULT_TOLERANCE_SECONDS = 300;
export const MAX_TOLERANCE_SECONDS = 24 * 60 * 60;

export const VERIFICATION_TYPES = ['none', 'standard_webhooks', 'github', 'stripe', 'hmac'] as const;
export const HMAC_ALGORITHMS = ['sha256', 'sha512', 'sha1'] as const;
export const HMAC_ENCODINGS = ['hex', 'base64'] as const;

/** How a trigger checks that a delivery comes from its sender, as stored on the trigger. */
export type Verification =
  | { type: 'none'; id_header?: string }
  | { type: 'standard_webhooks'; tolerance_seconds: number }
  | { type: 'github' }
  | { type: 'stripe'; tolerance_seconds: number }
  | {
      type: 'hmac';
      header: string;
      algorithm: (typeof HMAC_ALGORITHMS)[number];
      encoding: (typeof HMAC_ENCODINGS)[number];
      prefix?: string;
      id_header?: string;
    };

export type InboundHeaders = Record<string, string | string[] | undefined>;

/** What an inbound request carries that a verifier reads. */
export interface Delivery {
  rawBody: Buffer;
  headers: InboundHeaders;
  /** Seconds since the epoch. */
  nowSeconds: number;
}

/**
 * A verified delivery: its id (undefined when the scheme and the request give none, so no replay
 * can be told) and how long that id is remembered. `stale` and `invalid` are both answered 401.
 */
export type Verdict = { ok: true; deliveryId?: string; replayWindowSeconds: number } | { ok: false; reason: string };

/** Whether `verification` signs its deliveries, and so needs a secret. */
export function needsSecret(verification: Verification): boolean {
  return verification.type !== 'none';
}

/**
 * A new signing secret in the form the sender's tooling expects: `whsec_` and base64 of 32 random
 * bytes for Standard Webhooks (and Stripe, whose secrets look alike), 64 hex digits otherwise.
 */
export function generateSecret(verification: Verification): string {
  const bytes = randomBytes(32);
  if (verification.type === 'standard_webhooks' || verification.type === 'stripe') {
    return `whsec_${bytes.toString('base64')}`;
  }
  return bytes.toString('hex');
}

/** Why a supplied secret cannot sign for `verification`, or undefined when it can. */
export function secretProblem(verification: Verification, secret: string): string | undefined {
  if (verification.type !== 'standard_webhooks') return undefined;
  const key = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : '';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key) || Buffer.from(key, 'base64').length < 24) {
    return 'must be whsec_ followed by base64 of at least 24 bytes';
  }
  return undefined;
}

/** Checks a delivery against the trigger's scheme and secret (undefined only for `none`). */
export function verifyDelivery(verification: Verification, secret: string | undefined, delivery: Delivery): Verdict {
  switch (verification.type) {
    case 'none': {
      const id = verification.id_header ? header(delivery.headers, verification.id_header) : undefined;
      return { ok: true, deliveryId: id, replayWindowSeconds: FIXED_REPLAY_WINDOW_SECONDS };
    }
    case 'standard_webhooks':
      return verifyStandardWebhooks(verification.tolerance_seconds, secret!, delivery);
    case 'github':
      return verifyGitHub(secret!, delivery);
    case 'stripe':
      return verifyStripe(verification.tolerance_seconds, secret!, delivery);
    case 'hmac':
      return verifyHmac(verification, secret!, delivery);
  }
}

/**
 * Standard Webhooks: `webhook-signature` holds space-separated `v1,<base64>` signatures, each an
 * HMAC-SHA256 of `${webhook-id}.${webhook-timestamp}.${body}` under the base64 key after `whsec_`.
 */
function verifyStandardWebhooks(toleranceSeconds: number, secret: string, delivery: Delivery): Verdict {
  const id = header(delivery.headers, 'webhook-id');
  const timestamp = header(delivery.headers, 'webhook-timestamp');
  const signatures = header(delivery.headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) {
    return { ok: false, reason: 'webhook-id, webhook-timestamp and webhook-signature are required.' };
  }
  const stale = staleness(timestamp, toleranceSeconds, delivery.nowSeconds);
  if (stale) return { ok: false, reason: stale };
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = hmac('sha256', key, [`${id}.${timestamp}.`, delivery.rawBody]);
  const matches = signatures
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .some((entry) => sameBytes(Buffer.from(entry.slice(3), 'base64'), expected));
  if (!matches) return { ok: false, reason: 'No webhook-signature matches the body.' };
  return { ok: true, deliveryId: id, replayWindowSeconds: toleranceSeconds };
}

/** GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`; `X-GitHub-Delivery` names the delivery. */
function verifyGitHub(secret: string, delivery: Delivery): Verdict {
  const signature = header(delivery.headers, 'x-hub-signature-256');
  if (!signature?.startsWith('sha256=')) return { ok: false, reason: 'X-Hub-Signature-256 is missing.' };
  const expected = hmac('sha256', Buffer.from(secret, 'utf8'), [delivery.rawBody]);
  if (!sameBytes(decode(signature.slice('sha256='.length), 'hex'), expected)) {
    return { ok: false, reason: 'X-Hub-Signature-256 does not match the body.' };
  }
  const id = header(delivery.headers, 'x-github-delivery');
  return { ok: true, deliveryId: id, replayWindowSeconds: FIXED_REPLAY_WINDOW_SECONDS };
}

/**
 * Stripe: `Stripe-Signature: t=<seconds>,v1=<hex>[,v1=<hex>…]`, each v1 an HMAC-SHA256 of
 * `${t}.${body}` under the secret as text. The timestamp and the matching signature name the delivery.
 */
function verifyStripe(toleranceSeconds: number, secret: string, delivery: Delivery): Verdict {
  const value = header(delivery.headers, 'stripe-signature');
  if (!value) return { ok: false, reason: 'Stripe-Signature is missing.' };
  const pairs = value.split(',').map((pair) => pair.trim().split('='));
  const timestamp = pairs.find(([name]) => name === 't')?.[1];
  const v1 = pairs.filter(([name, sig]) => name === 'v1' && sig).map(([, sig]) => sig);
  if (!timestamp || v1.length === 0) return { ok: false, reason: 'Stripe-Signature has no t or no v1.' };
  const stale = staleness(timestamp, toleranceSeconds, delivery.nowSeconds);
  if (stale) return { ok: false, reason: stale };
  const expected = hmac('sha256', Buffer.from(secret, 'utf8'), [`${timestamp}.`, delivery.rawBody]);
  const matching = v1.find((signature) => sameBytes(decode(signature, 'hex'), expected));
  if (!matching) return { ok: false, reason: 'No v1 signature of Stripe-Signature matches the body.' };
  return { ok: true, deliveryId: `t=${timestamp},v1=${matching}`, replayWindowSeconds: toleranceSeconds };
}

/** A generic HMAC of the body in a header of the trigger's choosing. */
function verifyHmac(
  verification: Extract<Verification, { type: 'hmac' }>,
  secret: string,
  delivery: Delivery,
): Verdict {
  let value = header(delivery.headers, verification.header);
  if (value === undefined) return { ok: false, reason: `${verification.header} is missing.` };
  if (verification.prefix) {
    if (!value.startsWith(verification.prefix)) {
      return { ok: false, reason: `${verification.header} does not start with ${verification.prefix}.` };
    }
    value = value.slice(verification.prefix.length);
  }
  const expected = hmac(verification.algorithm, Buffer.from(secret, 'utf8'), [delivery.rawBody]);
  if (!sameBytes(decode(value.trim(), verification.encoding), expected)) {
    return { ok: false, reason: `${verification.header} does not match the body.` };
  }
  const id = verification.id_header ? header(delivery.headers, verification.id_header) : undefined;
  return { ok: true, deliveryId: id, replayWindowSeconds: FIXED_REPLAY_WINDOW_SECONDS };
}

/** Why a signed timestamp is unusable (not whole seconds, or off by more than the tolerance), if it is. */
function staleness(timestamp: string, toleranceSeconds: number, nowSeconds: number): string | undefined {
  if (!/^\d{1,12}$/.test(timestamp)) return 'The signed timestamp is not a number of seconds.';
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) {
    return `The signed timestamp is more than ${toleranceSeconds} s away from now.`;
  }
  return undefined;
}

/** A header's value (names are case-insensitive; repeated ones joined as Node joins them). */
export function header(headers: InboundHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

function hmac(algorithm: string, key: Buffer, parts: (string | Buffer)[]): Buffer {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

function decode(value: string, encoding: 'hex' | 'base64'): Buffer {
  if (encoding === 'hex' && !/^[0-9a-fA-F]*$/.test(value)) return Buffer.alloc(0);
  return Buffer.from(value, encoding);
}

/** Constant-time for equal lengths; a signature of another length is simply wrong. */
function sameBytes(given: Buffer, expected: Buffer): boolean {
  return given.length === expected.length && timingSafeEqual(given, expected);
}
