import type { HttpMethod, Operation, PathsWith, RequestArgs, ResponseBody } from './operations.js';
import { typedRequest } from './request.js';
import { RunHandle } from './run-handle.js';
import { Transport } from './transport.js';
import type { CreateRunBody, Run, RunFilters, RunSearchPage } from './types.js';
import { randomUuid } from './unique-id.js';
import { Workflows } from './workflows.js';

export interface RunloomOptions {
  /** The server's address, e.g. `http://localhost:3000`. */
  baseUrl: string;
  /** An API key (`rl_…`), sent as `X-API-Key`. */
  apiKey?: string;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
  /** Further attempts after a 429, a 503 or a broken connection (3 unless told; 0 turns retries off). */
  retries?: number;
  /** The longest wait before a retry; a `Retry-After` asking for longer is not retried (30 s unless told). */
  maxRetryDelayMs?: number;
}

export interface RunOptions extends Omit<CreateRunBody, 'input'> {
  /** Sent on every attempt, so a retried creation never makes a second run; a random UUID unless given. */
  idempotencyKey?: string;
  /** A W3C `traceparent` the run's trace continues. */
  traceparent?: string;
  signal?: AbortSignal;
}

const DEFAULT_RETRIES = 3;
const DEFAULT_MAX_RETRY_DELAY_MS = 30_000;

/** A Runloom API client: `request` for any operation, and shortcuts for workflows and runs. */
export class Runloom {
  readonly workflows: Workflows;
  private readonly transport: Transport;
  private readonly retries: number;

  constructor(options: RunloomOptions) {
    this.retries = options.retries ?? DEFAULT_RETRIES;
    this.transport = new Transport({
      baseUrl: options.baseUrl,
      apiKey: options.apiKey,
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      retries: this.retries,
      maxRetryDelayMs: options.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS,
    });
    this.workflows = new Workflows(this.transport);
  }

  /**
   * Any operation of the API, typed by method and path:
   * `request('GET', '/v1/runs/{run_id}', { path: { run_id } })`. Answers the JSON body of a 2xx.
   */
  request<M extends HttpMethod, P extends PathsWith<M>>(
    method: M,
    path: P,
    ...options: RequestArgs<Operation<P, M>>
  ): Promise<ResponseBody<Operation<P, M>>> {
    return typedRequest(this.transport, method, path, ...options);
  }

  /**
   * Runs the workflow and answers the finished run (completed, failed or stopped). A run the server
   * stops waiting for (its sync limit) is followed to its end.
   */
  async runSync(workflowId: string, input: Record<string, unknown>, options: RunOptions = {}): Promise<Run> {
    const response = await this.transport.send(
      this.runCall('/v1/workflows/{workflow_id}/runs/sync', workflowId, input, options),
    );
    const run = (await response.json()) as Run;
    if (response.status === 200) return run;
    return this.run(run.id).wait({ signal: options.signal });
  }

  /** Queues a run and answers a handle to follow it (`events()`, `wait()`, `stop()`, `signal()`). */
  async runAsync(workflowId: string, input: Record<string, unknown>, options: RunOptions = {}): Promise<RunHandle> {
    const run = await this.transport.json<Run>(
      this.runCall('/v1/workflows/{workflow_id}/runs', workflowId, input, options),
    );
    return this.run(run.id);
  }

  /** A handle to a run that exists already. */
  run(runId: string): RunHandle {
    return new RunHandle(this.transport, runId, this.retries);
  }

  /** The group's runs that match the filters, newest first, fetching page after page as you go. */
  async *listRuns(
    filters: RunFilters = {},
    options: { signal?: AbortSignal } = {},
  ): AsyncGenerator<Run, void, undefined> {
    let cursor = filters.cursor;
    do {
      const page: RunSearchPage = await typedRequest(this.transport, 'GET', '/v1/runs', {
        query: { ...filters, cursor },
        signal: options.signal,
      });
      yield* page.items;
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
  }

  private runCall(path: string, workflowId: string, input: Record<string, unknown>, options: RunOptions) {
    const { idempotencyKey, traceparent, signal, ...fields } = options;
    const headers: Record<string, string> = { 'Idempotency-Key': idempotencyKey ?? randomUuid() };
    if (traceparent) headers.traceparent = traceparent;
    const body: CreateRunBody = { input, ...fields };
    return { method: 'POST', path, pathParams: { workflow_id: workflowId }, body, headers, signal };
  }
}
