/**
 * One streamed Chat Completions call to an OpenAI-compatible provider, through the official
 * `openai` client. Provider failures become NodeFailures (`llm_error`) that keep the HTTP status
 * and the provider's own message; an aborted signal ends the HTTP stream at once.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import type { ChatCompletion, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { LlmProvider } from '../node-services.js';
import { NodeFailure } from '../node-type.js';

export interface ChatRequest {
  model: string;
  messages: ChatCompletionMessageParam[];
  temperature?: number;
  max_tokens?: number;
}

export interface ChatStreamOptions {
  signal: AbortSignal;
  /** Called with each piece of text as it arrives, in order. */
  onText(text: string): void;
}

const DEFAULT_MAX_RETRIES = 2;

const clients = new WeakMap<LlmProvider, OpenAI>();

function clientFor(provider: LlmProvider): OpenAI {
  let client = clients.get(provider);
  if (!client) {
    client = new OpenAI({
      baseURL: provider.baseUrl,
      // The client insists on a key; local servers need none, so the header is removed below.
      apiKey: provider.apiKey ?? 'unused',
      defaultHeaders: provider.apiKey === undefined ? { Authorization: null } : undefined,
      // Everything comes from our configuration, never from OPENAI_* variables.
      organization: null,
      project: null,
      maxRetries: provider.maxRetries ?? DEFAULT_MAX_RETRIES,
      logLevel: 'off',
    });
    clients.set(provider, client);
  }
  return client;
}

/** Streams the completion, calling `onText` per piece; resolves with the whole text. */
export async function streamChatCompletion(
  provider: LlmProvider,
  request: ChatRequest,
  { signal, onText }: ChatStreamOptions,
): Promise<string> {
  let text = '';
  try {
    const { data: stream, response } = await clientFor(provider)
      .chat.completions.create({ ...request, stream: true }, { signal })
      .withResponse();
    if (!isEventStream(response)) {
      // Some OpenAI-compatible servers ignore `stream` and answer with one JSON completion.
      text = messageText(await readCompletion(response));
      if (text !== '') onText(text);
    } else {
      for await (const chunk of stream) {
        const piece = chunk.choices[0]?.delta?.content;
        if (typeof piece !== 'string' || piece === '') continue;
        text += piece;
        onText(piece);
      }
    }
  } catch (error) {
    signal.throwIfAborted();
    throw providerFailure(error);
  }
  // The client ends a stream quietly when its request is aborted; that is a stop, not a result.
  signal.throwIfAborted();
  return text;
}

function isEventStream(response: Response): boolean {
  return (response.headers.get('content-type') ?? '').toLowerCase().includes('text/event-stream');
}

async function readCompletion(response: Response): Promise<ChatCompletion> {
  const body = await response.text();
  try {
    return JSON.parse(body) as ChatCompletion;
  } catch {
    throw new NodeFailure(`provider answered ${response.status} with a body that is not JSON`, 'llm_error');
  }
}

function messageText(completion: ChatCompletion): string {
  const content = completion?.choices?.[0]?.message?.content;
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  throw new NodeFailure('provider answered with a completion whose message content is not text', 'llm_error');
}

function providerFailure(error: unknown): unknown {
  if (error instanceof NodeFailure) return error;
  if (error instanceof APIConnectionTimeoutError) return new NodeFailure('provider timed out', 'llm_error');
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return new NodeFailure(`provider unreachable${cause}`, 'llm_error');
  }
  if (error instanceof APIError) {
    // The client formats "<status> <message>"; the status goes first in our own words. The message
    // may quote the prompt, secrets and all: it stays whole here, the engine masks then cuts it.
    const detail = error.message.replace(/^\d{3} /, '');
    return error.status === undefined
      ? new NodeFailure(`provider failed while streaming: ${detail}`, 'llm_error')
      : new NodeFailure(`provider answered ${error.status}: ${detail}`, 'llm_error');
  }
  if (error instanceof SyntaxError) {
    return new NodeFailure(`provider sent a stream that is not valid JSON: ${error.message}`, 'llm_error');
  }
  return error;
}
