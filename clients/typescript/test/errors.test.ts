import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Runloom, RunloomError, RunloomNetworkError } from '../src/index.js';
import { json, problem, scriptedServer, type ScriptedServer } from './support/scripted-server.js';

let server: ScriptedServer | undefined;
afterEach(() => server?.close());

describe('errors', () => {
  it('turns problem+json into a RunloomError with its fields', async () => {
    const body = problem(422, 'Invalid input', {
      detail: 'The input does not match the workflow.',
      errors: [{ field: 'input.Question', message: 'Question is required' }],
      run_id: 'r9',
    });
    server = await scriptedServer((_, response) => json(response, 422, body, { 'X-Request-Id': 'req-1' }));
    const client = new Runloom({ baseUrl: server.url });

    const error = await client.runSync('w1', {}).catch((caught: unknown) => caught);

    assert.ok(error instanceof RunloomError);
    assert.equal(error.status, 422);
    assert.equal(error.type, body.type);
    assert.equal(error.title, 'Invalid input');
    assert.equal(error.detail, 'The input does not match the workflow.');
    assert.deepEqual(error.errors, [{ field: 'input.Question', message: 'Question is required' }]);
    assert.equal(error.requestId, 'req-1');
    assert.equal(error.problem.run_id, 'r9');
    assert.equal(error.message, '422 Invalid input: The input does not match the workflow.');
  });

  it('describes an answer that is not problem+json (a proxy page) as a RunloomError too', async () => {
    server = await scriptedServer((_, response) => {
      response.writeHead(502, 'Bad Gateway', { 'Content-Type': 'text/html' }).end('<h1>upstream down</h1>');
    });
    const error = await new Runloom({ baseUrl: server.url }).workflows.get('w1').catch((caught: unknown) => caught);
    assert.ok(error instanceof RunloomError);
    assert.equal(error.status, 502);
    assert.equal(error.title, 'Bad Gateway');
    assert.equal(error.detail, '<h1>upstream down</h1>');
    assert.deepEqual(error.errors, []);
  });

  it('reports no answer as a RunloomNetworkError with the cause', async () => {
    server = await scriptedServer((_, response) => void response.destroy());
    const client = new Runloom({ baseUrl: server.url, retries: 1 });
    const error = await client
      .run('r1')
      .get()
      .catch((caught: unknown) => caught);
    assert.ok(error instanceof RunloomNetworkError);
    assert.ok(error.cause instanceof Error);
    assert.equal(server.received.length, 2, 'a GET is retried once');
  });

  it('stops at once when the caller aborts', async () => {
    server = await scriptedServer(() => undefined);
    const client = new Runloom({ baseUrl: server.url });
    const abort = new AbortController();
    const pending = client.run('r1').get({ signal: abort.signal });
    setTimeout(() => abort.abort(new Error('enough')), 50);
    await assert.rejects(pending, /enough/);
  });
});
