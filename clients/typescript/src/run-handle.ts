import { RunloomError, RunloomNetworkError, RunloomTimeoutError } from './errors.js';
import { sleep } from './retry-after.js';
import { readEventStream } from './sse.js';
import { typedRequest } from './request.js';
import type { Transport } from './transport.js';
import { FINAL_STATUSES, type Run, type RunEvent, type SignalAccepted } from './types.js';

const FINAL_EVENTS = new Set(['run.completed', 'run.failed', 'run.stopped']);
/** The reconnection delay until the server names one with `retry:`. */
const DEFAULT_RECONNECT_MS = 1000;

export interface EventsOptions {
  signal?: AbortSignal;
  /** Start after this event id (a `RunEvent.id` seen earlier) instead of the run's first event. */
  after?: string;
}

export interface WaitOptions {
  /** Give up (RunloomTimeoutError) after this long; the run goes on. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** A run on the server: read it, follow its events, wait for it, stop it, signal it. */
export class RunHandle {
  constructor(
    private readonly transport: Transport,
    readonly id: string,
    /** How many times in a row the event stream may break without bringing a new event. */
    private readonly reconnects: number,
  ) {}

  get(options: { signal?: AbortSignal } = {}): Promise<Run> {
    return typedRequest(this.transport, 'GET', '/v1/runs/{run_id}', { path: { run_id: this.id }, ...options });
  }

  /**
   * The run's events, oldest first, live until the run's final event (`run.completed`,
   * `run.failed`, `run.stopped`), which is the last one yielded. A dropped connection is opened
   * again with `Last-Event-ID`, so no event is missed or repeated. Leaving the loop closes the stream.
   */
  async *events(options: EventsOptions = {}): AsyncGenerator<RunEvent, void, undefined> {
    let lastEventId = options.after;
    let reconnectMs = DEFAULT_RECONNECT_MS;
    let fruitless = 0;
    for (;;) {
      const connection = new AbortController();
      const signal = options.signal ? AbortSignal.any([options.signal, connection.signal]) : connection.signal;
      let received = false;
      let failure: unknown;
      try {
        const response = await this.transport.send({
          method: 'GET',
          path: '/v1/runs/{run_id}/events',
          pathParams: { run_id: this.id },
          headers: lastEventId === undefined ? undefined : { 'Last-Event-ID': lastEventId },
          accept: 'text/event-stream',
          signal,
        });
        // 204: resumed after the final event, nothing more will come.
        if (response.status === 204 || !response.body) return;
        for await (const block of readEventStream(response.body)) {
          if (block.retry !== undefined) reconnectMs = block.retry;
          if (block.id !== undefined) lastEventId = block.id;
          if (block.data === undefined || block.id === undefined) continue;
          received = true;
          const event: RunEvent = { id: block.id, type: block.event ?? 'message', data: JSON.parse(block.data) };
          yield event;
          if (FINAL_EVENTS.has(event.type)) return;
        }
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        if (error instanceof RunloomError) throw error;
        failure = error;
      } finally {
        connection.abort();
      }
      fruitless = received ? 0 : fruitless + 1;
      if (fruitless > this.reconnects) {
        throw failure instanceof RunloomNetworkError
          ? failure
          : new RunloomNetworkError(`run ${this.id}: the event stream keeps breaking`, { cause: failure });
      }
      await sleep(reconnectMs, options.signal);
    }
  }

  /** The run once it has finished (completed, failed or stopped). */
  async wait(options: WaitOptions = {}): Promise<Run> {
    const deadline = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
    const signals = [options.signal, deadline].filter((signal) => signal !== undefined);
    const signal = signals.length ? AbortSignal.any(signals) : undefined;
    try {
      const run = await this.get({ signal });
      if (FINAL_STATUSES.has(run.status)) return run;
      for await (const event of this.events({ signal })) if (FINAL_EVENTS.has(event.type)) break;
      return await this.get({ signal });
    } catch (error) {
      if (deadline?.aborted && !options.signal?.aborted) throw new RunloomTimeoutError(this.id);
      throw error;
    }
  }

  /** Asks the run (and the runs below it) to stop; the answer is the run as it is then. */
  async stop(): Promise<Run> {
    return typedRequest(this.transport, 'POST', '/v1/runs/{run_id}/stop', { path: { run_id: this.id } });
  }

  /** Sends the signal `name` to the run's SignalNode of that name, now or when the run reaches it. */
  signal(name: string, payload?: unknown): Promise<SignalAccepted> {
    return typedRequest(this.transport, 'POST', '/v1/runs/{run_id}/signals/{name}', {
      path: { run_id: this.id, name },
      // The document says "any JSON value", which the generated type narrows to an empty object.
      body: { payload: payload as never },
    });
  }
}
