export interface StreamedEvent {
  id: bigint;
  type: string;
  data: Record<string, unknown>;
}

export interface EventStreamSource {
  /** Events after `afterId`, oldest first, at most `limit`. */
  eventsAfter(afterId: bigint, limit: number): Promise<StreamedEvent[]>;
  /** Calls `wake` whenever new events may exist; returns an unsubscribe function. */
  subscribe(wake: () => void): Promise<() => void>;
  /** True for the event after which the stream ends. */
  isLast?(event: StreamedEvent): boolean;
}

/** The part of an HTTP response (express's `Response`) a stream writes to. */
export interface EventSink {
  writeHead(status: number, headers: Record<string, string>): unknown;
  flushHeaders(): void;
  write(chunk: string): unknown;
  end(): unknown;
}

const BATCH = 500;

/**
 * Serves Server-Sent Events from a database-backed source: writes the headers, sends every event
 * after `startAfter`, then each batch the source's wake-ups reveal (never two reads at once, none
 * missed), with a comment heartbeat; ends after the source's last event or when the client leaves.
 */
export class EventStream {
  private last: bigint;
  private closed = false;
  private reading: Promise<void> | undefined;
  private readAgain = false;
  private unsubscribe: () => void = () => undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly source: EventStreamSource,
    private readonly response: EventSink,
    startAfter: bigint,
  ) {
    this.last = startAfter;
  }

  /**
   * Opens the stream; resolves once the events already stored have been sent. `gone` (from
   * StreamSlots) aborts when the client leaves, at any moment: everything set up is then undone.
   */
  async open(gone: AbortSignal, heartbeatMs: number): Promise<void> {
    if (gone.aborted) return this.close();
    gone.addEventListener('abort', () => this.close(), { once: true });
    const unsubscribe = await this.source.subscribe(() => this.wake());
    if (this.closed) return unsubscribe();
    this.unsubscribe = unsubscribe;
    this.heartbeat = setInterval(() => this.response.write(': heartbeat\n\n'), heartbeatMs);
    this.response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    this.response.flushHeaders();
    await this.catchUp();
  }

  /** Sends whatever is stored now; resolves when sent. */
  async catchUp(): Promise<void> {
    this.wake();
    await this.reading;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    this.unsubscribe();
    this.response.end();
  }

  private wake(): void {
    if (this.closed) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = this.readAll()
      .catch(() => this.close())
      .finally(() => (this.reading = undefined));
  }

  private async readAll(): Promise<void> {
    do {
      this.readAgain = false;
      let events: StreamedEvent[];
      do {
        events = await this.source.eventsAfter(this.last, BATCH);
        for (const event of events) {
          if (this.closed) return;
          this.response.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
          this.last = event.id;
          if (this.source.isLast?.(event)) this.close();
        }
      } while (!this.closed && events.length === BATCH);
    } while (!this.closed && this.readAgain);
  }
}

/** `Last-Event-ID` as an event id; undefined when absent or not a number. */
export function parseLastEventId(header: string | undefined): bigint | undefined {
  const value = header?.trim();
  return value && /^\d{1,19}$/.test(value) ? BigInt(value) : undefined;
}
