import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** When the request arrived (performance.now()). */
  at: number;
}

export type Answer = (request: Received, response: ServerResponse, index: number) => void | Promise<void>;

export interface ScriptedServer {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/** A real HTTP server on loopback that answers each request as the test scripts it, and records them. */
export async function scriptedServer(answer: Answer): Promise<ScriptedServer> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry: Received = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: performance.now(),
      };
      received.push(entry);
      void Promise.resolve(answer(entry, response, received.length - 1)).catch((error: unknown) => {
        response.destroy(error as Error);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const type = status >= 400 ? 'application/problem+json' : 'application/json';
  response.writeHead(status, { 'Content-Type': type, ...headers }).end(JSON.stringify(body));
}

export function problem(status: number, title: string, fields: Record<string, unknown> = {}) {
  return {
    type: `https://runloom.dev/problems/${title.toLowerCase().replace(/ /g, '-')}`,
    title,
    status,
    instance: '/x',
    request_id: 'req-1',
    ...fields,
  };
}

export function sampleRun(id: string, status = 'queued') {
  return {
    id,
    group_id: 'g',
    workflow_id: 'w',
    workflow_version_id: null,
    status,
    input: {},
    output: status === 'completed' ? { answer: 42 } : null,
    error: null,
    node_ids: null,
    single_node_id: null,
    tracing: false,
    trace_id: null,
    debugger: null,
    callback_url: null,
    progress: status === 'completed' ? 1 : 0,
    schedule_id: null,
    scheduled_for: null,
    created_at: new Date().toISOString(),
    started_at: null,
    finished_at: null,
    parent_run_id: null,
    parent_node_id: null,
    parent_item_index: null,
    metadata: {},
    retry_of: null,
    replay_of: null,
    trigger_id: null,
  };
}
