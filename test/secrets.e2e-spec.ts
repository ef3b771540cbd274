import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { recordingApi } from './support/api-call.js';
import { stopServerProcess, type ServerProcess } from './support/server-process.js';
import { startSecretsServer } from './support/secrets-server.js';
import { followEvents, readEventStream } from './support/sse.js';
import { ADMIN_KEY, createTestApp } from './support/test-app.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

// A slash, plus and quote make the percent-encoded and JSON-escaped forms differ from the value.
const SECRET = `tok/${randomBytes(12).toString('hex')}+"q`;
const ROTATED = `tok/${randomBytes(12).toString('hex')}+"r`;
const FORMS = [SECRET, ROTATED].flatMap((value) => [value, encodeURIComponent(value), JSON.stringify(value)]);

/** Calls the echo server with the secret in a header; outputs what came back and a text that quotes the secret. */
function echoWorkflow(url: string) {
  return {
    nodes: [
      { id: 'who', type: 'InputNode', config: { label: 'who' } },
      {
        id: 'call',
        type: 'HttpRequestNode',
        config: { url, headers: { Authorization: 'Bearer ((secrets.API_TOKEN))', 'X-Who': '((who))' } },
      },
      { id: 'quote', type: 'TextTemplateNode', config: { template: 'token=((secrets.API_TOKEN)) for ((who))' } },
      { id: 'body', type: 'OutputNode', config: { label: 'body' } },
      { id: 'text', type: 'OutputNode', config: { label: 'text' } },
    ],
    edges: [
      { from: { node_id: 'who', output: 'value' }, to: { node_id: 'call', input: 'who' } },
      { from: { node_id: 'who', output: 'value' }, to: { node_id: 'quote', input: 'who' } },
      { from: { node_id: 'call', output: 'body' }, to: { node_id: 'body', input: 'value' } },
      { from: { node_id: 'quote', output: 'text' }, to: { node_id: 'text', input: 'value' } },
    ],
  };
}

const failWorkflow = (secret: string) => ({
  nodes: [{ id: 'boom', type: 'FailNode', config: { message: `refused with ((secrets.${secret}))` } }],
  edges: [],
});

describe('group secrets', () => {
  let server: ServerProcess;
  let receiver: WebhookReceiver;
  let drop: () => Promise<void>;
  const { seen, api } = recordingApi(() => server.base);
  const createWorkflow = async (definition: unknown) =>
    (await api('POST', '/v1/workflows', { name: 'secret user', definition })).body as { id: string };

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    receiver.respond('/echo', (request) => ({
      status: 200,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        authorization: request.headers.authorization,
        url_form: encodeURIComponent(String(request.headers.authorization).slice('Bearer '.length)),
      }),
    }));
    ({ server, drop } = await startSecretsServer(receiver));
  });
  afterAll(async () => {
    await stopServerProcess(server);
    await receiver.close();
    await drop();
  });

  it('stores a value it never shows: PUT creates (201) then replaces (200), GET lists names only', async () => {
    const created = await api('PUT', '/v1/secrets/API_TOKEN', { value: 'first-value-123' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      name: 'API_TOKEN',
      created_at: expect.any(String),
      updated_at: expect.any(String),
      updated_by_key_id: expect.any(String),
    });
    const replaced = await api('PUT', '/v1/secrets/API_TOKEN', { value: SECRET });
    expect(replaced.status).toBe(200);
    const list = await api('GET', '/v1/secrets');
    expect(list.body).toMatchObject({ items: [{ name: 'API_TOKEN' }], total: 1 });
    expect(list.text).not.toContain('first-value-123');
  });

  it('refuses bad names and values with 422 and unknown names with 404', async () => {
    expect((await api('PUT', '/v1/secrets/bad-name', { value: 'long enough value' })).status).toBe(422);
    expect((await api('PUT', '/v1/secrets/SHORT', { value: 'short' })).status).toBe(422);
    expect((await api('PUT', '/v1/secrets/NO_VALUE', {})).status).toBe(422);
    const missing = await api('DELETE', '/v1/secrets/NOT_THERE');
    expect(missing.status).toBe(404);
    expect(missing.body.type).toContain('not-found');
  });

  it('sends the secret where the template says and masks it everywhere the run is recorded', async () => {
    const workflow = await createWorkflow(echoWorkflow(receiver.url('/echo')));
    const debug = followEvents(
      `${server.base}/v1/debugger/secret-session/events`,
      { 'X-API-Key': ADMIN_KEY },
      (events) => events.some((event) => event.event === 'run.completed'),
    );
    await debug.attached;
    const run = await api('POST', `/v1/workflows/${workflow.id}/runs`, {
      input: { who: 'ann' },
      callback_url: receiver.url('/callback'),
      debugger: 'secret-session',
      tracing: true,
    });
    expect(run.status).toBe(202);
    const stream = await readEventStream(`${server.base}/v1/runs/${run.body.id}/events`, { 'X-API-Key': ADMIN_KEY });
    seen.push(JSON.stringify(stream.events), JSON.stringify((await debug.collected).events));

    const [sent] = await receiver.waitFor('/echo', 1);
    expect(sent.headers.authorization).toBe(`Bearer ${SECRET}`);
    const [callback] = await receiver.waitFor('/callback', 1);
    seen.push(callback.body);
    const traces = (await receiver.waitFor('/v1/traces', 1)).map((request) => request.body).join('\n');
    expect(traces).toContain('runloom.node call');
    seen.push(traces);

    const finished = await api('GET', `/v1/runs/${run.body.id}`);
    expect(finished.body.status).toBe('completed');
    expect(finished.body.output).toEqual({
      body: { authorization: 'Bearer [secret:API_TOKEN]', url_form: '[secret:API_TOKEN]' },
      text: 'token=[secret:API_TOKEN] for ann',
    });
    await api('GET', `/v1/runs/${run.body.id}/nodes`);
    await api('GET', `/v1/workflows/${workflow.id}/runs`);
    expect(JSON.parse(callback.body).data.output.text).toBe('token=[secret:API_TOKEN] for ann');
  });

  it('fails a node whose secret is missing with secret_missing, and masks error messages', async () => {
    const missing = await createWorkflow(failWorkflow('NOPE'));
    const failed = await api('POST', `/v1/workflows/${missing.id}/runs/sync`, { input: {} });
    expect(failed.body.error).toEqual({
      node_id: 'boom',
      type: 'secret_missing',
      message: 'secret "NOPE" is not set in this run\'s group',
    });
    const quoting = await createWorkflow(failWorkflow('API_TOKEN'));
    const masked = await api('POST', `/v1/workflows/${quoting.id}/runs/sync`, { input: {} });
    expect(masked.body.error).toMatchObject({ type: 'fail_node', message: 'refused with [secret:API_TOKEN]' });
  });

  it('uses a new value in runs that start after it was set, and none after it was deleted', async () => {
    expect((await api('PUT', '/v1/secrets/API_TOKEN', { value: ROTATED })).status).toBe(200);
    const workflow = await createWorkflow(echoWorkflow(receiver.url('/echo')));
    const run = await api('POST', `/v1/workflows/${workflow.id}/runs/sync`, { input: { who: 'bob' } });
    expect(run.body.status).toBe('completed');
    expect(receiver.on('/echo').at(-1)!.headers.authorization).toBe(`Bearer ${ROTATED}`);
    expect((await api('DELETE', '/v1/secrets/API_TOKEN')).status).toBe(204);
    const calls = receiver.on('/echo').length;
    const after = await api('POST', `/v1/workflows/${workflow.id}/runs/sync`, { input: { who: 'cy' } });
    // `call` and `quote` run side by side and both need the secret: the first to fail decides the run.
    expect(after.body.error).toMatchObject({ type: 'secret_missing' });
    expect(['call', 'quote']).toContain(after.body.error.node_id);
    expect(receiver.on('/echo')).toHaveLength(calls);
  });

  it('never let a value out: not in any response, stream, callback body, exported trace or log line', async () => {
    const everything = [...seen, server.output()].join('\n');
    expect(everything).toContain('[secret:API_TOKEN]');
    for (const form of FORMS) expect(everything).not.toContain(form);
  });
});

describe('secrets without SECRETS_KEY (and no embedded database)', () => {
  it('answers 503 with a problem that says what to set', async () => {
    const t = await createTestApp();
    try {
      const res = await t.http.put('/v1/secrets/API_TOKEN').set('X-API-Key', ADMIN_KEY).send({ value: 'long enough' });
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.detail).toContain('SECRETS_KEY');
    } finally {
      await t.close();
    }
  });
});
