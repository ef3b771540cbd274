/** One Server-Sent Event: `data` parsed as JSON (the Runloom streams always send JSON objects). */
export interface ServerEvent {
  id: string | undefined;
  event: string;
  data: Record<string, unknown>;
}

/**
 * Reads a `text/event-stream` body event by event until it ends (comment lines such as the
 * heartbeat are skipped). The stream format is small enough to read here rather than take a dependency.
 */
export async function* readServerEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerEvent> {
  const decoder = new TextDecoderStream();
  let buffer = '';
  for await (const chunk of body.pipeThrough(decoder)) {
    buffer += chunk.replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const event = parseBlock(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (event) yield event;
    }
  }
}

/** One block of `field: value` lines; undefined when it has no data (a comment, a heartbeat). */
export function parseBlock(block: string): ServerEvent | undefined {
  let id: string | undefined;
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
  const text = data.join('\n');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { text };
  }
  return {
    id,
    event,
    data: typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : { value: parsed },
  };
}
