import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { recordingApi } from './support/api-call.js';
import { stopServerProcess, type ServerProcess } from './support/server-process.js';
import { startSecretsServer } from './support/secrets-server.js';
import { readEventStream } from './support/sse.js';
import { ADMIN_KEY } from './support/test-app.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

// Hex, so its JSON-escaped and percent-encoded forms are the value itself.
const SECRET = `tok-${randomBytes(16).toString('hex')}`;
const PIECES = Array.from({ length: SECRET.length - 7 }, (_, at) => SECRET.slice(at, at + 8));
/** Where the engine cuts a node's error message (MAX_ERROR_MESSAGE_LENGTH), and where nodes used to. */
const CUT = 1000;

const httpWorkflow = (config: Record<string, unknown>) => ({
  nodes: [
    { id: 'pad', type: 'InputNode', config: { label: 'pad', type: 'str', default: '' } },
    { id: 'call', type: 'HttpRequestNode', config },
    { id: 'body', type: 'OutputNode', config: { label: 'body' } },
  ],
  edges: [
    ...(JSON.stringify(config).includes('((pad))')
      ? [{ from: { node_id: 'pad', output: 'value' }, to: { node_id: 'call', input: 'pad' } }]
      : []),
    { from: { node_id: 'call', output: 'body' }, to: { node_id: 'body', input: 'value' } },
  ],
});

/** A JSON array nested `depth` deep around the request's Authorization header. */
const deepJson = (depth: number, leaf: string) => `${'['.repeat(depth)}${JSON.stringify(leaf)}${']'.repeat(depth)}`;

describe('secrets in messages that get cut, and values too deep to keep', () => {
  let server: ServerProcess;
  let receiver: WebhookReceiver;
  let drop: () => Promise<void>;
  const { seen, api } = recordingApi(() => server.base);
  const createWorkflow = async (definition: unknown) =>
    (await api('POST', '/v1/workflows', { name: 'masking', definition })).body as { id: string };
  /** Everything a reader of the run can get: the run, its node runs and its event stream. */
  const readRun = async (runId: string) => {
    await api('GET', `/v1/runs/${runId}`);
    await api('GET', `/v1/runs/${runId}/nodes`);
    const stream = await readEventStream(`${server.base}/v1/runs/${runId}/events`, { 'X-API-Key': ADMIN_KEY });
    seen.push(JSON.stringify(stream.events));
  };
  const expectNoPiece = (text: string) => {
    for (const piece of PIECES) expect(text).not.toContain(piece);
  };

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    const padding = (path: string) => Number(new URL(path, 'http://x').searchParams.get('pad'));
    receiver.respond('/deep', (request) => ({
      status: 200,
      headers: { 'Content-Type': 'application/json' },
      body: deepJson(5000, String(request.headers.authorization)),
    }));
    receiver.respond('/nul', () => ({
      status: 200,
      headers: { 'Content-Type': 'application/json' },
      body: '{"text": "before\\u0000after"}',
    }));
    ({ server, drop } = await startSecretsServer(receiver));
    // The receiver answers 400 with the Authorization header it got, after `pad` characters.
    for (const pad of [0, 483, 960, 975, 980]) {
      receiver.respond(`/reflect?pad=${pad}`, (request) => ({
        status: 400,
        headers: { 'Content-Type': 'text/plain' },
        body: `${'p'.repeat(padding(request.path))}${String(request.headers.authorization)} and more text`,
      }));
    }
    expect((await api('PUT', '/v1/secrets/API_TOKEN', { value: SECRET })).status).toBe(201);
  });
  afterAll(async () => {
    await stopServerProcess(server);
    await receiver.close();
    await drop();
  });

  it('a padded URL: the error names the URL with the secret masked whole, whatever the padding', async () => {
    const workflow = await createWorkflow(httpWorkflow({ url: '((pad))((secrets.API_TOKEN))' }));
    // 174: where "not a URL: <first 200 characters>" cut before masking; the others straddle the engine's cut.
    for (const pad of [174, CUT - 20, CUT - 12, CUT - 8]) {
      const res = await api('POST', `/v1/workflows/${workflow.id}/runs/sync`, {
        input: { pad: 'x'.repeat(pad) },
        tracing: true,
      });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('failed');
      expect(res.body.error).toMatchObject({ node_id: 'call', type: 'http_invalid_url' });
      expect(res.body.error.message.length).toBeLessThanOrEqual(CUT);
      if (pad === 174) {
        expect(res.body.error.message).toBe(`GET ${'x'.repeat(174)}[secret:API_TOKEN]: not a valid URL`);
      }
      expectNoPiece(res.text);
      await readRun(res.body.id);
    }
  });

  it('a padded 400 body with fail_on_error_status: the body is quoted masked, then cut', async () => {
    for (const pad of [0, 483, 960, 975, 980]) {
      const workflow = await createWorkflow(
        httpWorkflow({
          url: receiver.url(`/reflect?pad=${pad}`),
          headers: { Authorization: 'Bearer ((secrets.API_TOKEN))' },
          fail_on_error_status: true,
        }),
      );
      const res = await api('POST', `/v1/workflows/${workflow.id}/runs/sync`, { input: {} });
      expect(res.status).toBe(200);
      expect(res.body.error).toMatchObject({ node_id: 'call', type: 'http_status' });
      expect(res.body.error.message).toMatch(/^HTTP 400: p*(Bearer (\[secret:API_TOKEN\])?)?/);
      expect(res.body.error.message.length).toBeLessThanOrEqual(CUT);
      if (pad === 0) expect(res.body.error.message).toBe('HTTP 400: Bearer [secret:API_TOKEN] and more text');
      expectNoPiece(res.text);
      await readRun(res.body.id);
    }
    expect(receiver.on('/reflect?pad=980')[0].headers.authorization).toBe(`Bearer ${SECRET}`);
  });

  it('a response nested 5,000 deep fails the node with value_too_deep: one request, a 200 answer, no retry', async () => {
    const workflow = await createWorkflow(
      httpWorkflow({ url: receiver.url('/deep'), headers: { Authorization: 'Bearer ((secrets.API_TOKEN))' } }),
    );
    const startedAt = Date.now();
    const res = await api('POST', `/v1/workflows/${workflow.id}/runs/sync`, { input: {} });
    expect(Date.now() - startedAt).toBeLessThan(5000);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'failed',
      error: {
        node_id: 'call',
        type: 'value_too_deep',
        message: "the node's output nests arrays or objects more than 1000 levels deep (MAX_VALUE_DEPTH)",
      },
    });
    await readRun(res.body.id);
    const nodes = await api('GET', `/v1/runs/${res.body.id}/nodes`);
    expect(nodes.body.items.find((node: { node_id: string }) => node.node_id === 'call')).toMatchObject({
      status: 'failed',
      attempt: 1,
    });
    // Still one request a while later: the run is over, nobody resumes it.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receiver.on('/deep')).toHaveLength(1);
    expect((await api('GET', `/v1/runs/${res.body.id}`)).body.status).toBe('failed');
  });

  it('a response PostgreSQL could not store (a NUL) fails the node with value_not_storable, not the run 3 times', async () => {
    const workflow = await createWorkflow(httpWorkflow({ url: receiver.url('/nul') }));
    const res = await api('POST', `/v1/workflows/${workflow.id}/runs/sync`, { input: {} });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'failed', error: { node_id: 'call', type: 'value_not_storable' } });
    expect(receiver.on('/nul')).toHaveLength(1);
  });

  it('no 8-character piece of the secret in any answer, event stream, exported trace or log line', async () => {
    const traces = receiver.on('/v1/traces').map((request) => request.body);
    const everything = [...seen, ...traces, server.output()].join('\n');
    expect(everything).toContain('[secret:API_TOKEN]');
    expectNoPiece(everything);
  });
});
