import { OutboundError, sendOutbound, type OutboundResponse } from '../../common/outbound/outbound-request.js';
import type { OutboundPolicy } from '../../common/outbound/outbound-guard.js';
import { NodeFailure } from '../node-type.js';

/** A response body larger than this fails the node rather than being cut silently. */
export const MAX_RESPONSE_BYTES = 5 * 1024 * 1024;
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Credentials meant for one origin: dropped when a redirect leads to another, as browsers do. */
const CREDENTIAL_HEADERS = /^(authorization|cookie|proxy-authorization)$/i;

export interface HttpExchange {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface HttpResult {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** The body as text, as it came (for messages: it is not parsed, so has no depth). */
  text: string;
}

/**
 * Sends the request under the outbound rules, following up to 5 redirects — each hop is a new
 * request, so the guard checks every address it goes to — within one overall deadline.
 */
export async function exchange(
  request: HttpExchange,
  policy: OutboundPolicy,
  signal: AbortSignal,
): Promise<HttpResult> {
  const deadline = Date.now() + request.timeoutMs;
  let current = { ...request };
  for (let hop = 0; ; hop++) {
    const response = await send(current, policy, signal, deadline - Date.now());
    const location = response.headers.location;
    if (!REDIRECTS.has(response.status) || typeof location !== 'string') return toResult(response);
    if (hop === MAX_REDIRECTS) throw new NodeFailure(`more than ${MAX_REDIRECTS} redirects`, 'http_redirects');
    current = followRedirect(current, response.status, location);
  }
}

async function send(request: HttpExchange, policy: OutboundPolicy, signal: AbortSignal, timeoutMs: number) {
  if (timeoutMs <= 0) throw new NodeFailure(`no response within ${request.timeoutMs} ms`, 'http_timeout');
  try {
    const response = await sendOutbound({
      ...request,
      timeoutMs,
      maxResponseBytes: MAX_RESPONSE_BYTES,
      policy,
      signal,
    });
    if (response.truncated) {
      throw new NodeFailure(`the response body is larger than ${MAX_RESPONSE_BYTES} bytes`, 'http_response_too_large');
    }
    return response;
  } catch (error) {
    if (INVALID_HEADER_CODES.has((error as NodeJS.ErrnoException).code ?? '')) {
      throw new NodeFailure(invalidHeaderMessage(request.headers), 'http_invalid_request');
    }
    if (error instanceof OutboundError) {
      if (error.errorClass === 'aborted') throw error;
      throw new NodeFailure(`${request.method} ${request.url}: ${error.message}`, `http_${error.errorClass}`);
    }
    throw error;
  }
}

/** The header whose name or value Node refused (CR, LF, NUL or other control characters). */
function invalidHeaderMessage(headers: Record<string, string>): string {
  const bad = Object.entries(headers).find(([name, value]) => !HEADER_NAME.test(name) || INVALID_VALUE.test(value));
  return bad
    ? `header "${bad[0]}" has a character not allowed in HTTP headers (e.g. CR or LF)`
    : 'a header has a character not allowed in HTTP headers (e.g. CR or LF)';
}
const INVALID_HEADER_CODES = new Set(['ERR_INVALID_CHAR', 'ERR_INVALID_HTTP_TOKEN']);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const INVALID_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * 303, and 301/302 after a POST, turn into a GET without a body, as browsers and curl do; a hop
 * to another origin drops the credentials (CREDENTIAL_HEADERS).
 */
function followRedirect(request: HttpExchange, status: number, location: string): HttpExchange {
  let target: URL;
  try {
    target = new URL(location, request.url);
  } catch {
    throw new NodeFailure(`the redirect location is not a URL: ${location}`, 'http_redirects');
  }
  const url = target.toString();
  const crossOrigin = target.origin !== new URL(request.url).origin;
  const becomesGet = status === 303 || ((status === 301 || status === 302) && request.method === 'POST');
  const dropped = (name: string) =>
    (crossOrigin && CREDENTIAL_HEADERS.test(name)) || (becomesGet && /^content-/i.test(name));
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !dropped(name)));
  if (!becomesGet) return { ...request, url, headers };
  return { ...request, url, method: 'GET', headers, body: undefined };
}

function toResult(response: OutboundResponse): HttpResult {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  const text = response.body.toString('utf8');
  return { status: response.status, headers, body: parseBody(text, headers['content-type']), text };
}

/** JSON bodies are parsed; anything else (or JSON that does not parse) stays text. */
function parseBody(text: string, contentType: string | undefined): unknown {
  if (!contentType || !/[/+]json\b/i.test(contentType) || text === '') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
