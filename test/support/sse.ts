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
