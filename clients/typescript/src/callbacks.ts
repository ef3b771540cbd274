import { CallbackVerificationError } from './errors.js';
import type { CallbackPayload } from './types.js';

/** Request headers as fetch (`Headers`) or Node's http module (`IncomingHttpHeaders`) hand them over. */
export type CallbackHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyCallbackOptions {
  /** The group's `whsec_…` secret; several during a rotation (any one may match). */
  secret: string | string[];
  headers: CallbackHeaders;
  /** The raw body, exactly as received (not parsed and serialised again). */
  body: string | Uint8Array;
  /** How far `webhook-timestamp` may be from now; 5 minutes unless told. */
  toleranceSeconds?: number;
  /** The time to check against, for tests. */
  now?: Date;
}

const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * Checks a Runloom callback's Standard Webhooks signature (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`: `v1,<base64 HMAC-SHA256 of id.timestamp.body>`, one per secret during a
 * rotation) and its timestamp, then returns the parsed payload. Throws CallbackVerificationError
 * otherwise. Uses Web Crypto, so it runs in Node.js, browsers, Deno and edge runtimes alike.
 */
export async function verifyCallback(options: VerifyCallbackOptions): Promise<CallbackPayload> {
  const id = header(options.headers, 'webhook-id');
  const timestamp = header(options.headers, 'webhook-timestamp');
  const signatures = header(options.headers, 'webhook-signature');
  if (!id || !timestamp || !signatures)
    throw new CallbackVerificationError('missing webhook-id, -timestamp or -signature');
  checkTimestamp(timestamp, options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS, options.now ?? new Date());

  const body = typeof options.body === 'string' ? options.body : new TextDecoder().decode(options.body);
  const signed = new TextEncoder().encode(`${id}.${timestamp}.${body}`);
  const offered = signatures
    .split(' ')
    .filter((signature) => signature.startsWith('v1,'))
    .map((signature) => signature.slice(3));
  const secrets = Array.isArray(options.secret) ? options.secret : [options.secret];
  for (const secret of secrets) {
    const expected = await hmacBase64(secret, signed);
    if (offered.some((signature) => constantTimeEqual(signature, expected))) return JSON.parse(body) as CallbackPayload;
  }
  throw new CallbackVerificationError('no signature matches the secret');
}

function header(headers: CallbackHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value.join(' ') : value;
}

function checkTimestamp(timestamp: string, toleranceSeconds: number, now: Date): void {
  if (!/^\d+$/.test(timestamp)) throw new CallbackVerificationError('webhook-timestamp is not a Unix time');
  const skew = Math.abs(now.getTime() / 1000 - Number(timestamp));
  if (skew > toleranceSeconds)
    throw new CallbackVerificationError(`webhook-timestamp is ${Math.round(skew)} s away from now`);
}

async function hmacBase64(secret: string, message: Uint8Array<ArrayBuffer>): Promise<string> {
  const keyBytes = base64Bytes(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret);
  const key = await crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, message));
  return btoa(String.fromCharCode(...signature));
}

function base64Bytes(base64: string): Uint8Array<ArrayBuffer> {
  try {
    return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  } catch {
    throw new CallbackVerificationError('the secret is not a whsec_ secret (base64 after the prefix)');
  }
}

/** Compares without stopping at the first difference, so timing tells nothing about the signature. */
function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index++) difference |= a.charCodeAt(index) ^ b.charCodeAt(index);
  return difference === 0;
}
