import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startFakeChatServer, type FakeChatServer } from '../llm/testing/fake-chat-server.js';
import type { LlmProvider } from '../node-services.js';
import { executed, testNodeContext } from './test-node-context.js';
import { TextGenerationNode, type TextGenerationNodeConfig } from './text-generation-node.js';

describe('TextGenerationNode', () => {
  it('has one required input per placeholder across template and system, and the output `text`', () => {
    const config = { template: 'Answer ((question))', system: 'You are ((persona)); be brief about ((question))' };
    expect(TextGenerationNode.inputs(config).map((i) => [i.name, i.required])).toEqual([
      ['question', true],
      ['persona', true],
    ]);
    expect(TextGenerationNode.outputs(config).map((o) => o.name)).toEqual(['text']);
    expect(TextGenerationNode.hasExternalEffects).toBe(true);
  });

  it('reports malformed placeholders in template and system', () => {
    expect(TextGenerationNode.checkConfig({ template: '((a))', system: 'x' })).toEqual([]);
    expect(TextGenerationNode.checkConfig({ template: '((a.b))', system: '((-))' })).toEqual([
      { path: 'template', message: expect.stringContaining('invalid placeholder ((a.b))') },
      { path: 'system', message: expect.stringContaining('invalid placeholder ((-))') },
    ]);
  });

  it('fails with llm_not_configured when the server has no provider', async () => {
    await expect(TextGenerationNode.execute({}, testNodeContext({ template: 'x' }))).rejects.toMatchObject({
      name: 'NodeFailure',
      type: 'llm_not_configured',
      message: expect.stringContaining('set LLM_BASE_URL'),
    });
  });

  it('fails with llm_not_configured when neither the node nor the server names a model', async () => {
    const ctx = testNodeContext({ template: 'x' }, { services: { llm: { baseUrl: 'http://127.0.0.1:1/v1' } } });
    await expect(TextGenerationNode.execute({}, ctx)).rejects.toMatchObject({
      type: 'llm_not_configured',
      message: 'no model: set `model` in the node config or LLM_MODEL on the server',
    });
  });
});

describe('TextGenerationNode against an OpenAI-compatible server', () => {
  let server: FakeChatServer;
  let provider: LlmProvider;

  beforeAll(async () => {
    server = await startFakeChatServer();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
    server.replies.length = 0;
    provider = { baseUrl: server.baseUrl, apiKey: 'sk-test', defaultModel: 'server-model' };
  });

  function run(config: TextGenerationNodeConfig, inputs: Record<string, unknown> = {}, signal?: AbortSignal) {
    const deltas: Record<string, unknown>[] = [];
    const ctx = testNodeContext(config, {
      services: { llm: provider },
      emitDelta: (delta) => void deltas.push(delta),
      ...(signal ? { signal } : {}),
    });
    return { deltas, result: executed(TextGenerationNode, inputs, ctx) };
  }

  it('streams: emits each piece as a delta, in order, and outputs the whole text', async () => {
    server.replies.push({ stream: ['Hel', 'lo', ', ', 'world'] });
    const { deltas, result } = run({ template: 'Say hello' });
    await expect(result).resolves.toEqual({ text: 'Hello, world' });
    expect(deltas).toEqual([{ text: 'Hel' }, { text: 'lo' }, { text: ', ' }, { text: 'world' }]);
  });

  it('sends model, system, temperature and max_tokens, with the filled templates, as a streaming request', async () => {
    const config = {
      template: 'Question: ((q))',
      system: 'You answer for ((who)).',
      model: 'node-model',
      temperature: 0.3,
      max_tokens: 42,
    };
    await run(config, { q: 'why?', who: { name: 'Ada' } }).result;
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request.headers.authorization).toBe('Bearer sk-test');
    expect(request.body).toEqual({
      model: 'node-model',
      messages: [
        { role: 'system', content: 'You answer for {"name":"Ada"}.' },
        { role: 'user', content: 'Question: why?' },
      ],
      temperature: 0.3,
      max_tokens: 42,
      stream: true,
    });
  });

  it("uses the server's default model, sends no system message when there is none, and no key when unset", async () => {
    provider = { baseUrl: server.baseUrl, defaultModel: 'server-model' };
    await run({ template: 'hi' }).result;
    const [request] = server.requests;
    expect(request.body).toEqual({ model: 'server-model', messages: [{ role: 'user', content: 'hi' }], stream: true });
    expect(request.headers.authorization).toBeUndefined();
  });

  it('accepts a provider that answers one JSON completion instead of a stream', async () => {
    server.replies.push({ completion: 'All at once.' });
    const { deltas, result } = run({ template: 'x' });
    await expect(result).resolves.toEqual({ text: 'All at once.' });
    expect(deltas).toEqual([{ text: 'All at once.' }]);
  });

  it.each([
    [429, { error: { message: 'Rate limit reached', type: 'requests' } }, 'provider answered 429: Rate limit reached'],
    [401, { error: { message: 'Incorrect API key provided' } }, 'provider answered 401: Incorrect API key provided'],
    [500, { error: { message: 'The server had an error' } }, 'provider answered 500: The server had an error'],
    [502, 'Bad gateway', 'provider answered 502: Bad gateway'],
  ])('keeps the status and message of a %i', async (status, body, message) => {
    server.replies.push({ status, body });
    await expect(run({ template: 'x' }).result).rejects.toMatchObject({
      name: 'NodeFailure',
      type: 'llm_error',
      message,
    });
  });

  it('retries a retryable failure before any token arrived', async () => {
    server.replies.push(
      { status: 503, body: { error: { message: 'overloaded' } }, retryable: true },
      { stream: ['fine'] },
    );
    await expect(run({ template: 'x' }).result).resolves.toEqual({ text: 'fine' });
    expect(server.requests).toHaveLength(2);
  });

  it('fails with the message of an error sent inside the stream', async () => {
    server.replies.push({ stream: ['partial'], streamError: { message: 'context length exceeded' } });
    await expect(run({ template: 'x' }).result).rejects.toMatchObject({
      type: 'llm_error',
      message: 'provider failed while streaming: context length exceeded',
    });
  });

  it('fails clearly when the provider cannot be reached', async () => {
    provider = { baseUrl: 'http://127.0.0.1:1/v1', defaultModel: 'm', maxRetries: 0 };
    await expect(run({ template: 'x' }).result).rejects.toMatchObject({
      type: 'llm_error',
      message: expect.stringMatching(/^provider unreachable/),
    });
  });

  it('aborts the HTTP stream mid-way when the signal aborts', async () => {
    server.replies.push({ stream: ['one', 'two'], hold: true });
    const controller = new AbortController();
    const { deltas, result } = run({ template: 'x' }, {}, controller.signal);
    const settled = result.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    while (deltas.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    const disconnected = server.nextDisconnect();
    const abortedAt = performance.now();
    controller.abort();
    await disconnected;
    expect(await settled).toMatchObject({ name: 'AbortError' });
    expect(performance.now() - abortedAt).toBeLessThan(1000);
    expect(deltas).toEqual([{ text: 'one' }, { text: 'two' }]);
  });

  it('reports a missing template input like other template nodes', async () => {
    await expect(run({ template: '((q))' }).result).rejects.toMatchObject({ type: 'input_missing' });
    expect(server.requests).toHaveLength(0);
  });
});
