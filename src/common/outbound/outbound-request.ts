import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { assertLiteralHostAllowed, guardedLookup, RefusedAddressError, type OutboundPolicy } from './outbound-guard.js';

/** How an outbound request failed before a complete response arrived. */
export type OutboundErrorClass =
  'invalid_url' | 'refused_address' | 'dns' | 'connection' | 'tls' | 'timeout' | 'aborted';

export class OutboundError extends Error {
  constructor(
    readonly errorClass: OutboundErrorClass,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OutboundError';
  }
}

export interface OutboundRequest {
  url: string;
  method: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The whole exchange, from connecting to the end of the (capped) body. */
  timeoutMs: number;
  /** Reading stops here; the response is marked truncated and the connection dropped. */
  maxResponseBytes: number;
  policy: OutboundPolicy;
  signal?: AbortSignal;
}

export interface OutboundResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  truncated: boolean;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME']);
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

/**
 * One HTTP(S) request under the outbound rules (docs/security.md): refused addresses are never connected
 * to (see outbound-guard.ts), redirects are returned as they are (never followed), the response
 * body is read up to a cap, and the whole exchange has a deadline. Resolves with any HTTP status;
 * rejects with an OutboundError naming the failure class.
 */
export function sendOutbound(request: OutboundRequest): Promise<OutboundResponse> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    // Callers name the URL: it may carry a secret, which only they can mask before they cut.
    return Promise.reject(new OutboundError('invalid_url', 'not a valid URL'));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(
      new OutboundError('invalid_url', `only http and https URLs are allowed (got ${url.protocol})`),
    );
  }
  try {
    assertLiteralHostAllowed(url, request.policy);
  } catch (error) {
    return Promise.reject(toOutboundError(error, request.timeoutMs));
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<OutboundResponse>((resolve, reject) => {
    const req = client.request(url, {
      method: request.method,
      headers: { ...request.headers, ...(request.body !== undefined ? { 'content-length': bodyLength(request) } : {}) },
      lookup: guardedLookup(request.policy),
      agent: false,
      signal: request.signal,
    });
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      req.destroy();
    }, request.timeoutMs);
    // Whichever of the request or the response reports the end first; later reports are no-ops.
    const fail = (error: unknown) => {
      clearTimeout(deadline);
      reject(timedOut ? timeoutError(request.timeoutMs) : toOutboundError(error, request.timeoutMs));
    };
    req.on('error', fail);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (truncated: boolean) => {
        clearTimeout(deadline);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), truncated });
      };
      res.on('data', (chunk: Buffer) => {
        const room = request.maxResponseBytes - size;
        chunks.push(chunk.subarray(0, Math.max(room, 0)));
        size += chunk.length;
        if (size > request.maxResponseBytes) {
          res.removeAllListeners('data');
          req.destroy();
          done(true);
        }
      });
      res.on('end', () => done(false));
      res.on('error', fail);
      res.on('close', () => res.complete || fail(new Error('the connection closed before the response ended')));
    });
    req.end(request.body);
  });
}

function timeoutError(timeoutMs: number): OutboundError {
  return new OutboundError('timeout', `no complete response within ${timeoutMs} ms`);
}

function bodyLength(request: OutboundRequest): string {
  return String(typeof request.body === 'string' ? Buffer.byteLength(request.body) : request.body!.length);
}

function toOutboundError(error: unknown, timeoutMs: number): OutboundError {
  if (error instanceof OutboundError) return error;
  if (error instanceof RefusedAddressError)
    return new OutboundError('refused_address', error.message, { cause: error });
  const err = error as NodeJS.ErrnoException;
  const code = err.code ?? '';
  if (err.name === 'AbortError') return new OutboundError('aborted', 'the request was aborted', { cause: error });
  if (DNS_CODES.has(code)) return new OutboundError('dns', `DNS lookup failed: ${err.message}`, { cause: error });
  if (TLS_CODE.test(code)) return new OutboundError('tls', `TLS failed: ${err.message}`, { cause: error });
  if (code === 'ETIMEDOUT') return timeoutError(timeoutMs);
  return new OutboundError('connection', err.message || code || 'connection failed', { cause: error });
}
