import { ApiError, authHeaders, withGroup } from './api';

export interface StreamEvent {
  id: string;
  event: string;
  data: Record<string, unknown>;
}

export type StreamState = 'connecting' | 'open' | 'ended' | 'error';

export interface StreamOptions {
  /** Resume after this event id (`'0'` replays everything the stream keeps). */
  lastEventId?: string;
  onEvent(event: StreamEvent): void;
  onState?(state: StreamState, error?: unknown): void;
  /** Whether to reconnect (with Last-Event-ID) when the server ends the stream. */
  reconnectOnEnd?: () => boolean;
}

const RECONNECT_DELAY_MS = 1000;

/**
 * Server-Sent Events over fetch(): EventSource cannot send the X-API-Key header, and the key must
 * never be put in a URL. Parses the text/event-stream format, remembers the last id and resumes
 * from it after a dropped connection. Returns a function that closes the stream.
 */
export function openEventStream(path: string, options: StreamOptions): () => void {
  const controller = new AbortController();
  let lastEventId = options.lastEventId;

  const connect = async (): Promise<void> => {
    for (;;) {
      options.onState?.('connecting');
      try {
        const response = await fetch(withGroup(path), {
          headers: authHeaders({
            Accept: 'text/event-stream',
            ...(lastEventId !== undefined ? { 'Last-Event-ID': lastEventId } : {}),
          }),
          signal: controller.signal,
        });
        if (!response.ok || !response.body) {
          const problem = await response.json().catch(() => ({}));
          throw new ApiError({ ...problem, status: response.status });
        }
        options.onState?.('open');
        await readEvents(response.body, (event) => {
          lastEventId = event.id || lastEventId;
          options.onEvent(event);
        });
        if (!options.reconnectOnEnd?.()) {
          options.onState?.('ended');
          return;
        }
      } catch (error) {
        if (controller.signal.aborted) return;
        // A refused request (bad key, unknown run) will not get better by retrying.
        if (error instanceof ApiError && error.status < 500) {
          options.onState?.('error', error);
          return;
        }
        options.onState?.('error', error);
      }
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_DELAY_MS));
      if (controller.signal.aborted) return;
    }
  };
  void connect();
  return () => controller.abort();
}

async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (event: StreamEvent) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    let boundary: number;
    while ((boundary = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      const event = parseBlock(block);
      if (event) onEvent(event);
    }
  }
}

/** One event block: `id:`, `event:` and `data:` lines; comment lines (heartbeats) are ignored. */
export function parseBlock(block: string): StreamEvent | undefined {
  let id = '';
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (!line || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return undefined;
  return { id, event, data: JSON.parse(data.join('\n')) as Record<string, unknown> };
}
