import type { IncomingHttpHeaders } from 'node:http';
import { cutText } from '../common/cut-text.js';
import { OutboundError, type OutboundResponse } from '../common/outbound/outbound-request.js';

/** A receiver's Retry-After never pushes the next attempt further out than this. */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;
/** How much of a receiver's response is kept on the attempt. */
export const STORED_RESPONSE_BYTES = 2 * 1024;
const MAX_ERROR_LENGTH = 500;

export type Verdict = 'delivered' | 'retry' | 'final';

/** What one attempt came to, as recorded on it. */
export interface AttemptOutcome {
  verdict: Verdict;
  statusCode: number | null;
  /** `http_status`, or how the request failed: `timeout`, `connection`, `dns`, `tls`, `refused_address`, `invalid_url`. */
  errorClass: string | null;
  error: string | null;
  responseBody: string | null;
  /** The receiver's Retry-After, in milliseconds from now. */
  retryAfterMs?: number;
}

/**
 * 2xx is delivered. 410 Gone means the receiver wants no more: final. Any other status (3xx
 * included: redirects are not followed) is retried. Failures are retried, except an address the
 * outbound rules refuse or a URL that cannot be requested, which no retry would change.
 */
export function judgeResponse(response: OutboundResponse, now = Date.now()): AttemptOutcome {
  const { status } = response;
  const responseBody = storedBody(response.body);
  if (status >= 200 && status < 300) {
    return { verdict: 'delivered', statusCode: status, errorClass: null, error: null, responseBody };
  }
  const outcome: AttemptOutcome = {
    verdict: status === 410 ? 'final' : 'retry',
    statusCode: status,
    errorClass: 'http_status',
    error: status === 410 ? 'HTTP 410 Gone: the receiver asked for no more attempts' : `HTTP ${status}`,
    responseBody,
  };
  const retryAfterMs = parseRetryAfter(response.headers, now);
  return retryAfterMs === undefined ? outcome : { ...outcome, retryAfterMs };
}

export function judgeFailure(error: unknown): AttemptOutcome {
  const failure =
    error instanceof OutboundError ? error : new OutboundError('connection', String((error as Error)?.message));
  const final = failure.errorClass === 'refused_address' || failure.errorClass === 'invalid_url';
  return {
    verdict: final ? 'final' : 'retry',
    statusCode: null,
    errorClass: failure.errorClass,
    error: cutText(failure.message, MAX_ERROR_LENGTH),
    responseBody: null,
  };
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(headers: IncomingHttpHeaders, now: number): number | undefined {
  const value = headers['retry-after']?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP date names its day and month; Date.parse alone would read "-5" or "1.5" as dates.
  if (!/[A-Za-z]{3}/.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(date - now, 0);
}

/**
 * The delay before the attempt after `attempt` (1-based): the schedule's entry, or the receiver's
 * Retry-After when that is longer (capped at 24 h). Undefined once the schedule is used up.
 */
export function nextAttemptDelay(
  attempt: number,
  scheduleMs: readonly number[],
  retryAfterMs?: number,
): number | undefined {
  const scheduled = scheduleMs[attempt - 1];
  if (scheduled === undefined) return undefined;
  return Math.max(scheduled, Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
}

/** The start of a response as text (PostgreSQL text cannot hold NUL). */
function storedBody(body: Buffer): string | null {
  if (body.length === 0) return null;
  return body.subarray(0, STORED_RESPONSE_BYTES).toString('utf8').replaceAll('\u0000', '\uFFFD');
}
