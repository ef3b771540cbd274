/**
 * A real OpenAI-compatible Chat Completions server on 127.0.0.1 for tests: answers
 * `POST /v1/chat/completions` with the replies queued in `replies`, in order, and records every
 * request it received.
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeReply =
  /** SSE chunks, one per piece, then `data: [DONE]`; `hold` keeps the stream open afterwards. */
  | { stream: string[]; delayMs?: number; hold?: boolean }
  /** One JSON completion, whatever `stream` asked for (as some compatible servers do). */
  | { completion: string }
  /** An error status with this JSON (or text) body; the client retries it only when `retryable`. */
  | { status: number; body: unknown; retryable?: boolean }
  /** SSE pieces, then an `error` object in the stream. */
  | { stream: string[]; streamError: { message: string } };

export interface ReceivedRequest {
  url: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface FakeChatServer {
  /** What LLM_BASE_URL is set to, e.g. `http://127.0.0.1:4567/v1`. */
  baseUrl: string;
  requests: ReceivedRequest[];
  replies: FakeReply[];
  /** Resolves when a client goes away while its stream is still open. */
  nextDisconnect(): Promise<void>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function chunk(content: string | null, finish: string | null = null): string {
  const choice = { index: 0, delta: content === null ? {} : { content }, finish_reason: finish };
  return `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 0, model: 'fake', choices: [choice] })}\n\n`;
}

export async function startFakeChatServer(): Promise<FakeChatServer> {
  const requests: ReceivedRequest[] = [];
  const replies: FakeReply[] = [];
  let disconnectWaiters: (() => void)[] = [];

  async function answer(reply: FakeReply, res: ServerResponse): Promise<void> {
    if ('status' in reply) {
      const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      const type = typeof reply.body === 'string' ? 'text/plain' : 'application/json';
      const retry = reply.retryable
        ? { 'x-should-retry': 'true', 'retry-after-ms': '1' }
        : { 'x-should-retry': 'false' };
      res.writeHead(reply.status, { 'content-type': type, ...retry }).end(text);
      return;
    }
    if ('completion' in reply) {
      const message = { role: 'assistant', content: reply.completion };
      const body = {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 0,
        model: 'fake',
        choices: [{ index: 0, message, finish_reason: 'stop' }],
      };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(chunk(null));
    for (const piece of reply.stream) {
      if ('delayMs' in reply && reply.delayMs) await sleep(reply.delayMs);
      if (res.destroyed) return;
      res.write(chunk(piece));
    }
    if ('streamError' in reply) {
      res.end(`data: ${JSON.stringify({ error: reply.streamError })}\n\n`);
      return;
    }
    if ('hold' in reply && reply.hold) return; // left open until the client leaves
    res.write(chunk(null, 'stop'));
    res.end('data: [DONE]\n\n');
  }

  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (piece: string) => (raw += piece));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"no such route"}}');
        return;
      }
      requests.push({ url: req.url, headers: req.headers, body: JSON.parse(raw) as Record<string, unknown> });
      res.on('close', () => {
        if (res.writableFinished) return;
        const waiters = disconnectWaiters;
        disconnectWaiters = [];
        waiters.forEach((resolve) => resolve());
      });
      void answer(replies.shift() ?? { stream: ['ok'] }, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    replies,
    nextDisconnect: () => new Promise<void>((resolve) => disconnectWaiters.push(resolve)),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
