import { afterEach, describe, expect, it, jest } from '@jest/globals';
import {
  EventStream,
  parseLastEventId,
  type EventSink,
  type EventStreamSource,
  type StreamedEvent,
} from './event-stream.js';

const HEARTBEAT_MS = 1_000;

/** A response that keeps what the stream wrote. */
class FakeResponse implements EventSink {
  status: number | undefined;
  headers: Record<string, string> = {};
  chunks: string[] = [];
  ended = false;

  writeHead(status: number, headers: Record<string, string>) {
    this.status = status;
    this.headers = headers;
    return this;
  }
  flushHeaders() {}
  write(chunk: string) {
    if (this.ended) throw new Error('write after end');
    this.chunks.push(chunk);
    return true;
  }
  end() {
    this.ended = true;
    return this;
  }

  /** The events written, as `id type` lines. */
  get events(): string[] {
    return this.chunks.filter((chunk) => chunk.startsWith('id: ')).map((chunk) => chunk.split('\n')[0].slice(4));
  }
}

/** An in-memory event log: numbered events, wake-ups on append, and a count of reads in flight. */
class EventLog implements EventStreamSource {
  readonly events: StreamedEvent[] = [];
  readonly reads: Array<{ afterId: bigint; limit: number }> = [];
  subscribers = 0;
  readsInFlight = 0;
  mostReadsInFlight = 0;
  lastType: string | undefined;
  private wakes = new Set<() => void>();

  append(count: number, type = 'node.completed'): void {
    for (let i = 0; i < count; i++) {
      const id = BigInt(this.events.length + 1);
      this.events.push({ id, type, data: { n: Number(id) } });
    }
    for (const wake of this.wakes) wake();
  }

  async eventsAfter(afterId: bigint, limit: number): Promise<StreamedEvent[]> {
    this.reads.push({ afterId, limit });
    this.readsInFlight++;
    this.mostReadsInFlight = Math.max(this.mostReadsInFlight, this.readsInFlight);
    await new Promise((resolve) => setImmediate(resolve));
    this.readsInFlight--;
    return this.events.filter((event) => event.id > afterId).slice(0, limit);
  }

  async subscribe(wake: () => void): Promise<() => void> {
    this.wakes.add(wake);
    this.subscribers++;
    return () => {
      if (this.wakes.delete(wake)) this.subscribers--;
    };
  }

  isLast = (event: StreamedEvent) => event.type === this.lastType;
}

const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

function openStream(log: EventLog, startAfter = 0n) {
  const response = new FakeResponse();
  const gone = new AbortController();
  const stream = new EventStream(log, response, startAfter);
  return { response, gone, stream, opened: stream.open(gone.signal, HEARTBEAT_MS) };
}

/** Resolves once the stream's reads triggered so far are done. */
async function readsDone(log: EventLog): Promise<void> {
  do await new Promise((resolve) => setImmediate(resolve));
  while (log.readsInFlight > 0);
}

describe('EventStream', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('answers 200 with unbuffered event-stream headers and frames each event as id, event and data', async () => {
    const log = new EventLog();
    log.append(2);
    const { response, gone, opened } = openStream(log);
    await opened;
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
    });
    expect(response.chunks).toEqual([
      'id: 1\nevent: node.completed\ndata: {"n":1}\n\n',
      'id: 2\nevent: node.completed\ndata: {"n":2}\n\n',
    ]);
    gone.abort();
  });

  it('sends more than a page of stored events completely and in order, 500 per read', async () => {
    const log = new EventLog();
    log.append(1_203);
    const { response, gone, opened } = openStream(log);
    await opened;
    expect(response.events).toEqual(ids(1, 1_203));
    expect(log.reads.map((read) => [Number(read.afterId), read.limit])).toEqual([
      [0, 500],
      [500, 500],
      [1_000, 500],
    ]);
    gone.abort();
  });

  it('resumes after the given event id (Last-Event-ID)', async () => {
    const log = new EventLog();
    log.append(700);
    const { response, gone, opened } = openStream(log, 650n);
    await opened;
    expect(response.events).toEqual(ids(651, 700));
    gone.abort();
  });

  it('tails new events as the source wakes it, one read at a time, missing none', async () => {
    const log = new EventLog();
    log.append(3);
    const { response, gone, opened } = openStream(log);
    await opened;
    for (let i = 0; i < 5; i++) log.append(1); // wake-ups while a read is in flight
    log.append(600);
    await readsDone(log);
    expect(response.events).toEqual(ids(1, 608));
    expect(log.mostReadsInFlight).toBe(1);
    gone.abort();
  });

  it("ends after the source's last event, releasing its subscription and heartbeat", async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    const log = new EventLog();
    log.lastType = 'run.completed';
    log.append(2);
    const { response, stream, opened } = openStream(log);
    await opened;
    log.append(1, 'run.completed');
    log.append(1); // written after the final event: never sent
    await readsDone(log);
    expect(response.events).toEqual(ids(1, 3));
    expect(stream.isClosed).toBe(true);
    expect(response.ended).toBe(true);
    expect(log.subscribers).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('keeps an idle stream alive with a comment every heartbeat interval', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    const { response, gone, opened } = openStream(new EventLog());
    await opened;
    jest.advanceTimersByTime(HEARTBEAT_MS * 3);
    expect(response.chunks).toEqual([': heartbeat\n\n', ': heartbeat\n\n', ': heartbeat\n\n']);
    gone.abort();
    jest.advanceTimersByTime(HEARTBEAT_MS * 3);
    expect(response.chunks).toHaveLength(3);
  });

  it('releases its timer and listener when the client leaves, and writes nothing more', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    const log = new EventLog();
    const { response, gone, opened } = openStream(log);
    await opened;
    expect(log.subscribers).toBe(1);
    expect(jest.getTimerCount()).toBe(1);
    gone.abort();
    expect(log.subscribers).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
    expect(response.ended).toBe(true);
    log.append(1);
    await readsDone(log);
    expect(response.events).toEqual([]);
  });

  it('undoes its subscription when the client left while it was being set up', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    const log = new EventLog();
    const { response, gone, opened } = openStream(log);
    gone.abort(); // before subscribe() resolved
    await opened;
    expect(log.subscribers).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
    expect(response.status).toBeUndefined();
    expect(response.ended).toBe(true);
  });

  it('sets nothing up for a client that was gone before it opened', async () => {
    const log = new EventLog();
    const response = new FakeResponse();
    const gone = AbortSignal.abort();
    await new EventStream(log, response, 0n).open(gone, HEARTBEAT_MS);
    expect(log.subscribers).toBe(0);
    expect(log.reads).toEqual([]);
    expect(response.ended).toBe(true);
  });

  it('ends the stream when reading the source fails', async () => {
    const log = new EventLog();
    log.eventsAfter = () => Promise.reject(new Error('database gone'));
    const { response, stream, opened } = openStream(log);
    await opened;
    expect(stream.isClosed).toBe(true);
    expect(response.ended).toBe(true);
    expect(log.subscribers).toBe(0);
  });
});

describe('parseLastEventId', () => {
  it('reads a decimal event id, ignoring surrounding spaces', () => {
    expect(parseLastEventId('42')).toBe(42n);
    expect(parseLastEventId(' 9223372036854775807 ')).toBe(9223372036854775807n);
  });

  it('ignores an absent, empty or non-numeric header, and one too long for an id', () => {
    for (const header of [undefined, '', ' ', '-1', '1.5', 'abc', '0x10', '1'.repeat(20)]) {
      expect(parseLastEventId(header)).toBeUndefined();
    }
  });
});
