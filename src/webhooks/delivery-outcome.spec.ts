import { describe, expect, it } from '@jest/globals';
import { OutboundError } from '../common/outbound/outbound-request.js';
import { pollIntervalFor } from './callback-worker.js';
import {
  judgeFailure,
  judgeResponse,
  MAX_RETRY_AFTER_MS,
  nextAttemptDelay,
  parseRetryAfter,
  STORED_RESPONSE_BYTES,
} from './delivery-outcome.js';

const response = (status: number, headers: Record<string, string> = {}, body = '') => ({
  status,
  headers,
  body: Buffer.from(body),
  truncated: false,
});

describe('judging a delivery attempt', () => {
  it('2xx is delivered, keeping the start of the response', () => {
    expect(judgeResponse(response(204))).toEqual({
      verdict: 'delivered',
      statusCode: 204,
      errorClass: null,
      error: null,
      responseBody: null,
    });
    const big = judgeResponse(response(200, {}, 'é'.repeat(STORED_RESPONSE_BYTES)));
    expect(Buffer.byteLength(big.responseBody!)).toBeLessThanOrEqual(STORED_RESPONSE_BYTES + 3);
  });

  it('410 is final; 3xx, 4xx and 5xx are retried', () => {
    expect(judgeResponse(response(410))).toMatchObject({
      verdict: 'final',
      statusCode: 410,
      errorClass: 'http_status',
    });
    for (const status of [301, 302, 307, 400, 401, 404, 429, 500, 503]) {
      expect(judgeResponse(response(status))).toMatchObject({ verdict: 'retry', errorClass: 'http_status' });
    }
  });

  it('carries Retry-After along', () => {
    expect(judgeResponse(response(503, { 'retry-after': '7' })).retryAfterMs).toBe(7000);
  });

  it('stores responses without NUL characters (PostgreSQL text cannot hold them)', () => {
    expect(judgeResponse(response(500, {}, 'a\u0000b')).responseBody).toBe('a\uFFFDb');
  });

  it('refused addresses and unusable URLs are final; other failures are retried', () => {
    expect(judgeFailure(new OutboundError('refused_address', 'no'))).toMatchObject({
      verdict: 'final',
      errorClass: 'refused_address',
      statusCode: null,
    });
    expect(judgeFailure(new OutboundError('invalid_url', 'no')).verdict).toBe('final');
    for (const errorClass of ['timeout', 'connection', 'dns', 'tls'] as const) {
      expect(judgeFailure(new OutboundError(errorClass, 'x'))).toMatchObject({ verdict: 'retry', errorClass });
    }
    expect(judgeFailure(new Error('boom'))).toMatchObject({
      verdict: 'retry',
      errorClass: 'connection',
      error: 'boom',
    });
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-11-28T12:00:00Z');

  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter({ 'retry-after': '120' }, now)).toBe(120_000);
    expect(parseRetryAfter({ 'retry-after': 'Sat, 28 Nov 2026 12:00:30 GMT' }, now)).toBe(30_000);
    expect(parseRetryAfter({ 'retry-after': 'Sat, 28 Nov 2026 11:00:00 GMT' }, now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter({}, now)).toBeUndefined();
    expect(parseRetryAfter({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(parseRetryAfter({ 'retry-after': '-5' }, now)).toBeUndefined();
  });
});

describe('the next attempt', () => {
  const schedule = [5_000, 300_000];

  it('follows the schedule, then stops', () => {
    expect(nextAttemptDelay(1, schedule)).toBe(5_000);
    expect(nextAttemptDelay(2, schedule)).toBe(300_000);
    expect(nextAttemptDelay(3, schedule)).toBeUndefined();
  });

  it('waits for Retry-After when it is longer than the schedule, up to 24 h', () => {
    expect(nextAttemptDelay(1, schedule, 60_000)).toBe(60_000);
    expect(nextAttemptDelay(1, schedule, 1_000)).toBe(5_000);
    expect(nextAttemptDelay(1, schedule, 10 * MAX_RETRY_AFTER_MS)).toBe(MAX_RETRY_AFTER_MS);
    expect(nextAttemptDelay(3, schedule, 1_000)).toBeUndefined();
  });

  it('is polled for often enough to keep the shortest delay', () => {
    expect(pollIntervalFor([5_000, 300_000])).toBe(1000);
    expect(pollIntervalFor([100, 200])).toBe(100);
    expect(pollIntervalFor([0])).toBe(100);
    expect(pollIntervalFor([1_000])).toBe(500);
  });
});
