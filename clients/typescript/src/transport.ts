import { RunloomError, RunloomNetworkError, type Problem } from './errors.js';
import { backoffMs, retryAfterMs, sleep } from './retry-after.js';

export interface TransportOptions {
  baseUrl: string;
  apiKey: string | undefined;
  fetch: typeof fetch;
  /** Further attempts after the first. */
  retries: number;
  /** The longest wait before a retry; an answer asking for longer is not retried. */
  maxRetryDelayMs: number;
}

export interface Call {
  method: string;
  /** A template such as `/v1/runs/{run_id}`, filled from `path`. */
  path: string;
  pathParams?: object;
  query?: object;
  body?: unknown;
  headers?: Record<string, string>;
  accept?: string;
  signal?: AbortSignal;
}

/** Methods that may be sent again after a 503 or a broken connection (plus any call with an Idempotency-Key). */
const REPEATABLE = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const BACKOFF_BASE_MS = 250;

/**
 * Sends calls to the API: the key, JSON in and out, problem+json as RunloomError, and retries.
 * 429 is always retried (the server refused before doing anything); 503 and broken connections
 * only when sending the call twice cannot do anything twice. Each retry waits what `Retry-After`
 * says, or a jittered backoff without one.
 */
export class Transport {
  constructor(private readonly options: TransportOptions) {}

  /** The successful answer's JSON body (undefined for an empty one). */
  async json<T>(call: Call): Promise<T> {
    const response = await this.send(call);
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** A successful answer, its body unread; throws RunloomError or RunloomNetworkError otherwise. */
  async send(call: Call): Promise<Response> {
    const repeatable = REPEATABLE.has(call.method) || call.headers?.['Idempotency-Key'] !== undefined;
    for (let attempt = 0; ; attempt++) {
      const retriesLeft = attempt < this.options.retries;
      let response: Response;
      try {
        response = await this.options.fetch(this.url(call), this.init(call));
      } catch (error) {
        if (call.signal?.aborted) throw call.signal.reason;
        const failure = new RunloomNetworkError(`${call.method} ${call.path}: no answer`, { cause: error });
        if (!repeatable || !retriesLeft) throw failure;
        await sleep(backoffMs(attempt, BACKOFF_BASE_MS, this.options.maxRetryDelayMs), call.signal);
        continue;
      }
      if (response.ok) return response;
      const error = await problemOf(response);
      const retryable = response.status === 429 || (response.status === 503 && repeatable);
      const delay = error.retryAfterMs ?? backoffMs(attempt, BACKOFF_BASE_MS, this.options.maxRetryDelayMs);
      if (!retryable || !retriesLeft || delay > this.options.maxRetryDelayMs) throw error;
      await sleep(delay, call.signal);
    }
  }

  private url(call: Call): string {
    const params = (call.pathParams ?? {}) as Record<string, unknown>;
    const path = call.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      if (params[name] === undefined) throw new TypeError(`${call.path}: missing path parameter ${name}`);
      return encodeURIComponent(String(params[name]));
    });
    const search = queryString((call.query ?? {}) as Record<string, unknown>);
    return `${this.options.baseUrl.replace(/\/+$/, '')}${path}${search && `?${search}`}`;
  }

  private init(call: Call): RequestInit {
    const headers: Record<string, string> = { Accept: call.accept ?? 'application/json', ...call.headers };
    if (this.options.apiKey) headers['X-API-Key'] = this.options.apiKey;
    if (call.body !== undefined) headers['Content-Type'] = 'application/json';
    return {
      method: call.method,
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal: call.signal,
    };
  }
}

/**
 * Arrays repeat the parameter (`status=failed&status=stopped`); objects use the deepObject form
 * (`metadata[customer]=acme`); undefined and null are left out.
 */
export function queryString(query: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) search.append(name, String(item));
    else if (typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) search.append(`${name}[${key}]`, String(item));
    } else search.append(name, String(value));
  }
  return search.toString();
}

/** The answer's problem+json as a RunloomError; a stand-in problem for any other error body. */
async function problemOf(response: Response): Promise<RunloomError> {
  const retryAfter = retryAfterMs(response.headers.get('Retry-After'));
  const text = await response.text().catch(() => '');
  let problem: Problem | undefined;
  if (/json/i.test(response.headers.get('Content-Type') ?? '')) {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed && typeof parsed === 'object' && 'title' in parsed) problem = parsed as Problem;
    } catch {
      // Not JSON after all: described below like any other body.
    }
  }
  problem ??= {
    type: 'about:blank',
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    detail: text.slice(0, 500) || undefined,
    instance: new URL(response.url || 'http://unknown/').pathname,
    request_id: response.headers.get('X-Request-Id') ?? '',
  };
  return new RunloomError(response.status, problem, retryAfter);
}
