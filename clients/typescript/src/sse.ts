/** One dispatched block of a Server-Sent Events stream; fields the block did not carry are undefined. */
export interface SseBlock {
  id: string | undefined;
  event: string | undefined;
  /** The `data:` lines joined with newlines; undefined when the block had none. */
  data: string | undefined;
  /** A `retry:` field: the reconnection delay the server asks for, in milliseconds. */
  retry: number | undefined;
}

/**
 * Parses an event stream as the HTML standard says (lines end in CRLF, LF or CR; `:` starts a
 * comment; a blank line ends a block), yielding each block. Cancels the body when the consumer stops.
 */
export async function* readEventStream(body: ReadableStream<Uint8Array>): AsyncGenerator<SseBlock> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let block = emptyBlock();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: RegExpExecArray | null;
      // A trailing CR might be half of a CRLF: wait for the next chunk before cutting there.
      while ((end = /\r\n|\n|\r(?=[^\n])/.exec(buffer))) {
        const line = buffer.slice(0, end.index);
        buffer = buffer.slice(end.index + end[0].length);
        if (line === '') {
          if (block.data !== undefined || block.id !== undefined || block.retry !== undefined) yield block;
          block = emptyBlock();
        } else readField(block, line);
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

function emptyBlock(): SseBlock {
  return { id: undefined, event: undefined, data: undefined, retry: undefined };
}

function readField(block: SseBlock, line: string): void {
  if (line.startsWith(':')) return;
  const colon = line.indexOf(':');
  const name = colon === -1 ? line : line.slice(0, colon);
  let value = colon === -1 ? '' : line.slice(colon + 1);
  if (value.startsWith(' ')) value = value.slice(1);
  if (name === 'data') block.data = block.data === undefined ? value : `${block.data}\n${value}`;
  else if (name === 'event') block.event = value;
  else if (name === 'id' && !value.includes('\0')) block.id = value;
  else if (name === 'retry' && /^\d+$/.test(value)) block.retry = Number(value);
}
