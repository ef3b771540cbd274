import { assertConforms } from './contract.js';

export interface SseEvent {
  id: string;
  event: string;
  data: Record<string, unknown>;
}

/** Reads a whole Server-Sent Events stream (until the server ends it), with any comment lines. */
export async function readEventStream(
  url: string,
  headers: Record<string, string>,
  timeoutMs = 15_000,
): Promise<{ status: number; contentType: string | null; events: SseEvent[]; comments: string[] }> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  const text = response.body ? await new Response(response.body).text() : '';
  const contentType = response.headers.get('content-type') ?? undefined;
  assertConforms({ method: 'GET', url, status: response.status, contentType, body: parseIfJson(contentType, text) });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  for (const block of text.split('\n\n')) {
    if (!block.trim()) continue;
    const fields: Record<string, string> = {};
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) comments.push(line.slice(1).trim());
      else {
        const colon = line.indexOf(':');
        fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
      }
    }
    if (fields.event) events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
  }
  return { status: response.status, contentType: response.headers.get('content-type'), events, comments };
}

/** Reads an open-ended stream until `enough(events)` holds (or the timeout), then disconnects. */
export function collectEvents(
  url: string,
  headers: Record<string, string>,
  enough: (events: SseEvent[]) => boolean,
  timeoutMs = 10_000,
): Promise<{ status: number; events: SseEvent[] }> {
  return followEvents(url, headers, enough, timeoutMs).collected;
}

/**
 * `collectEvents`, plus `attached`: resolved once the server has answered. A stream sends its
 * headers only once it listens, so whatever happens after `attached` reaches it.
 */
export function followEvents(
  url: string,
  headers: Record<string, string>,
  enough: (events: SseEvent[]) => boolean,
  timeoutMs = 10_000,
): { attached: Promise<void>; collected: Promise<{ status: number; events: SseEvent[] }> } {
  let attached!: () => void;
  const attachedPromise = new Promise<void>((resolve) => (attached = resolve));
  const collected = readUntil(url, headers, enough, timeoutMs, attached);
  // A failed request never attaches: let `collected` report why instead of leaving `attached` pending.
  collected.catch(() => undefined).finally(attached);
  return { attached: attachedPromise, collected };
}

async function readUntil(
  url: string,
  headers: Record<string, string>,
  enough: (events: SseEvent[]) => boolean,
  timeoutMs: number,
  attached: () => void,
): Promise<{ status: number; events: SseEvent[] }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const response = await fetch(url, { headers, signal: controller.signal });
  attached();
  const events: SseEvent[] = [];
  if (response.status !== 200 || !response.body) {
    clearTimeout(timer);
    const contentType = response.headers.get('content-type') ?? undefined;
    assertConforms({
      method: 'GET',
      url,
      status: response.status,
      contentType,
      body: parseIfJson(contentType, await response.text()),
    });
    return { status: response.status, events };
  }
  assertConforms({
    method: 'GET',
    url,
    status: 200,
    contentType: response.headers.get('content-type') ?? undefined,
    body: '',
  });
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(
          block
            .split('\n')
            .filter((line) => !line.startsWith(':'))
            .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trimStart()]),
        );
        if (fields.event) events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
      }
      if (enough(events)) break;
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return { status: response.status, events };
}

function parseIfJson(contentType: string | undefined, text: string): unknown {
  return contentType?.includes('json') && text ? JSON.parse(text) : text;
}
