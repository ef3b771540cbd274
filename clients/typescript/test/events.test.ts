import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, it } from 'node:test';
import { Runloom, RunloomTimeoutError, type RunEvent } from '../src/index.js';
import { readEventStream } from '../src/sse.js';
import { json, sampleRun, scriptedServer, type Received, type ScriptedServer } from './support/scripted-server.js';

let server: ScriptedServer;
afterEach(() => server.close());

function openStream(response: ServerResponse): void {
  response.writeHead(200, { 'Content-Type': 'text/event-stream' });
  response.write('retry: 10\n\n');
}

function event(id: number, type: string, extra: Record<string, unknown> = {}): string {
  return `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify({ run_id: 'r1', timestamp: 't', ...extra })}\n\n`;
}

const streams = (received: Received[]) => received.filter((request) => request.url === '/v1/runs/r1/events');

describe('RunHandle.events', () => {
  it('resumes a dropped stream with Last-Event-ID: every event once, in order, ending with the final one', async () => {
    server = await scriptedServer((request, response, index) => {
      openStream(response);
      if (index === 0) {
        response.write(event(1, 'run.started') + event(2, 'node.completed', { node_id: 'a' }));
        // The connection breaks in the middle of the third event.
        response.write('id: 3\nevent: node.comp');
        setTimeout(() => response.destroy(), 20);
      } else {
        response.write(': heartbeat\n\n' + event(3, 'node.completed', { node_id: 'b' }));
        response.end(event(4, 'run.completed', { status: 'completed' }));
      }
    });
    const client = new Runloom({ baseUrl: server.url, apiKey: 'rl_key' });

    const events: RunEvent[] = [];
    for await (const item of client.run('r1').events()) events.push(item);

    assert.deepEqual(
      events.map((item) => [item.id, item.type]),
      [
        ['1', 'run.started'],
        ['2', 'node.completed'],
        ['3', 'node.completed'],
        ['4', 'run.completed'],
      ],
    );
    assert.equal(events[2]!.data.node_id, 'b');
    const [first, second] = streams(server.received);
    assert.equal(first!.headers['last-event-id'], undefined);
    assert.equal(first!.headers.accept, 'text/event-stream');
    assert.equal(second!.headers['last-event-id'], '2');
    assert.equal(second!.headers['x-api-key'], 'rl_key');
  });

  it('reconnects after a stream that ends before the final event, and stops at a 204', async () => {
    server = await scriptedServer((request, response, index) => {
      if (index === 1) return void response.writeHead(204).end();
      openStream(response);
      response.end(event(7, 'run.completed'));
    });
    const events = [];
    for await (const item of new Runloom({ baseUrl: server.url }).run('r1').events({ after: '6' }))
      events.push(item.id);
    assert.deepEqual(events, ['7']);
    assert.equal(server.received.length, 1, 'the final event ends the stream without another request');

    await server.close();
    server = await scriptedServer((request, response) => {
      if (request.headers['last-event-id'] === '7') return void response.writeHead(204).end();
      openStream(response);
      response.end(event(7, 'node.completed'));
    });
    const resumed = [];
    for await (const item of new Runloom({ baseUrl: server.url }).run('r1').events()) resumed.push(item.id);
    assert.deepEqual(resumed, ['7']);
    assert.equal(server.received.length, 2);
  });

  it('closes the connection when the loop is left early', async () => {
    let closed = false;
    server = await scriptedServer((request, response) => {
      openStream(response);
      response.write(event(1, 'run.started'));
      response.on('close', () => (closed = true));
    });
    for await (const item of new Runloom({ baseUrl: server.url }).run('r1').events()) if (item.id === '1') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(closed);
  });
});

describe('RunHandle.wait', () => {
  it('answers the finished run after following its events', async () => {
    let finished = false;
    server = await scriptedServer((request, response) => {
      if (request.url === '/v1/runs/r1')
        return json(response, 200, sampleRun('r1', finished ? 'completed' : 'running'));
      openStream(response);
      response.write(event(1, 'run.started'));
      setTimeout(() => {
        finished = true;
        response.end(event(2, 'run.completed'));
      }, 30);
    });
    const run = await new Runloom({ baseUrl: server.url }).run('r1').wait();
    assert.equal(run.status, 'completed');
    assert.deepEqual(run.output, { answer: 42 });
  });

  it('throws RunloomTimeoutError when the run outlasts timeoutMs', async () => {
    server = await scriptedServer((request, response) => {
      if (request.url === '/v1/runs/r1') return json(response, 200, sampleRun('r1', 'running'));
      openStream(response);
    });
    await assert.rejects(
      new Runloom({ baseUrl: server.url }).run('r1').wait({ timeoutMs: 100 }),
      (error: unknown) => error instanceof RunloomTimeoutError && error.runId === 'r1',
    );
  });

  it('follows a sync run the server stopped waiting for (202) to its end', async () => {
    server = await scriptedServer((request, response) => {
      if (request.method === 'POST')
        return json(response, 202, sampleRun('r1', 'running'), { Location: '/v1/runs/r1' });
      if (request.url === '/v1/runs/r1') return json(response, 200, sampleRun('r1', 'completed'));
      openStream(response);
      response.end(event(2, 'run.completed'));
    });
    const run = await new Runloom({ baseUrl: server.url }).runSync('w1', {});
    assert.equal(run.status, 'completed');
  });
});

describe('readEventStream', () => {
  it('parses CRLF, CR and LF lines, multi-line data, comments and chunks cut anywhere', async () => {
    const text = ': hello\r\nid: 1\r\nevent: a\r\ndata: x\r\ndata: y\r\n\r\nid: 2\rdata: z\r\rretry: 250\n\n';
    const bytes = new TextEncoder().encode(text);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let index = 0; index < bytes.length; index += 3) controller.enqueue(bytes.slice(index, index + 3));
        controller.close();
      },
    });
    const blocks = [];
    for await (const block of readEventStream(body)) blocks.push(block);
    assert.deepEqual(blocks, [
      { id: '1', event: 'a', data: 'x\ny', retry: undefined },
      { id: '2', event: undefined, data: 'z', retry: undefined },
      { id: undefined, event: undefined, data: undefined, retry: 250 },
    ]);
  });
});
