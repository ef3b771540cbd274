import { CliError } from './errors.js';

export interface Connection {
  url: string;
  key: string;
}

const KEY_REFUSED_HINT = 'The API key was refused: run runloom login again, or check RUNLOOM_API_KEY.';

/** One `errors[]` entry of a 422 problem. */
export interface ProblemField {
  field: string;
  message: string;
}

/** A problem+json answer (RFC 9457), kept whole for `--json` and for callers that look at `errors`. */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly problem: Record<string, unknown>,
  ) {
    super(describeProblem(status, problem) + (status === 401 ? `\n${KEY_REFUSED_HINT}` : ''));
  }

  get fieldErrors(): ProblemField[] {
    return Array.isArray(this.problem.errors) ? (this.problem.errors as ProblemField[]) : [];
  }
}

/** `title: detail`, then one `  - field: message` line per error. */
export function describeProblem(status: number, problem: Record<string, unknown>): string {
  const title = typeof problem.title === 'string' ? problem.title : `HTTP ${status}`;
  const detail = typeof problem.detail === 'string' && problem.detail !== title ? `: ${problem.detail}` : '';
  const errors = Array.isArray(problem.errors) ? (problem.errors as ProblemField[]) : [];
  const lines = errors.map((error) => `  - ${error.field ? `${error.field}: ` : ''}${error.message}`);
  return [`${title} (${status})${detail}`, ...lines].join('\n');
}

type Query = Record<string, string | number | boolean | string[] | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The Runloom HTTP API over fetch: JSON in and out, problem+json turned into ApiError. */
export class Api {
  constructor(readonly connection: Connection) {}

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<{ status: number; body: T }> {
    const response = await this.send(method, path, options);
    if (!response.ok) throw await refusal(response);
    const text = await response.text();
    return { status: response.status, body: (text ? parseJson(text, response) : undefined) as T };
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, { query }).then((answer) => answer.body);
  }

  post<T>(path: string, body: unknown = {}, query?: Query): Promise<T> {
    return this.request<T>('POST', path, { body, query }).then((answer) => answer.body);
  }

  /** The response of a request that answered 2xx, its body unread (an event stream). */
  async stream(path: string, options: RequestOptions = {}): Promise<Response> {
    const headers = { Accept: 'text/event-stream', ...options.headers };
    const response = await this.send('GET', path, { ...options, headers });
    if (!response.ok) throw await refusal(response);
    return response;
  }

  private async send(method: string, path: string, options: RequestOptions): Promise<Response> {
    const url = new URL(path.replace(/^\//, ''), this.connection.url.replace(/\/*$/, '/'));
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value === undefined) continue;
      for (const item of [value].flat()) url.searchParams.append(name, String(item));
    }
    const headers: Record<string, string> = { 'X-API-Key': this.connection.key, ...options.headers };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    try {
      return await fetch(url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(
        `Cannot reach the Runloom server at ${this.connection.url} (${cause?.code ?? cause?.message ?? (error as Error).message}). ` +
          'Is it running, and is the URL right? (runloom login <url>, or RUNLOOM_URL)',
      );
    }
  }
}

/** A non-2xx answer as an ApiError: its problem+json, or the start of whatever else it sent. */
async function refusal(response: Response): Promise<ApiError> {
  const text = await response.text();
  const body = text ? parseJson(text, response) : undefined;
  return new ApiError(response.status, isObject(body) ? body : { detail: text.slice(0, 500) });
}

function parseJson(text: string, response: Response): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError(`The server answered ${response.status} with something that is not JSON: ${text.slice(0, 200)}`);
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
