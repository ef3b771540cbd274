import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closed, closesLater } from './leftovers.js';

/** One request the receiver got. */
export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** Decides the answer to the n-th request (0-based) on a path; a promise holds the request open until it settles. */
export type Responder = (request: Received, index: number) => Reply | Promise<Reply>;

/**
 * A real HTTP server on 127.0.0.1 that records what it receives. Each path can have its own
 * responder (default: 200); `waitFor` resolves once a path has received enough requests.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  private readonly responders = new Map<string, Responder>();
  private server!: Server;
  private port = 0;

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    receiver.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = req.url ?? '/';
        const request = { path, headers: req.headers, body: Buffer.concat(chunks).toString(), at: Date.now() };
        const index = receiver.on(path).length;
        receiver.received.push(request);
        const responder: Responder = receiver.responders.get(path) ?? (() => ({ status: 200 }));
        void Promise.resolve(responder(request, index)).then((reply) =>
          res.writeHead(reply.status, reply.headers).end(reply.body ?? ''),
        );
      });
    });
    const listening = new Promise<WebhookReceiver>((resolve) =>
      receiver.server.listen(0, '127.0.0.1', () => resolve(receiver)),
    );
    await closesLater(listening, (started) => started.close());
    receiver.port = (receiver.server.address() as AddressInfo).port;
    return receiver;
  }

  url(path: string, host = '127.0.0.1'): string {
    return `http://${host}:${this.port}${path}`;
  }

  respond(path: string, responder: Responder): void {
    this.responders.set(path, responder);
  }

  on(path: string): Received[] {
    return this.received.filter((request) => request.path === path);
  }

  async waitFor(path: string, count: number, timeoutMs = 10_000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.on(path).length < count) {
      if (Date.now() > deadline) {
        throw new Error(`${path} received ${this.on(path).length} of ${count} requests within ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.on(path);
  }

  async close(): Promise<void> {
    closed(this);
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
