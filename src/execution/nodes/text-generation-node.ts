import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { streamChatCompletion } from '../llm/chat-completions.js';
import { withClientSpan } from '../node-services.js';
import { NodeFailure } from '../node-type.js';
import { checkTemplate, fillTemplate, placeholderInputs } from '../template.js';
import { defineNodeType, templateProperty } from './define-node-type.js';

export type TextGenerationNodeConfig = {
  template: string;
  model?: string;
  system?: string;
  temperature?: number;
  max_tokens?: number;
};

export const TextGenerationNode = defineNodeType<TextGenerationNodeConfig>({
  type: 'TextGenerationNode',
  hasExternalEffects: true,
  description:
    'Generates text with the OpenAI-compatible Chat Completions API configured on the server ' +
    '(LLM_BASE_URL, LLM_API_KEY, LLM_MODEL). `template`, filled from the inputs, is the user message; ' +
    '`system`, filled the same way, is the system message. The answer streams as node.delta events ' +
    '({"node_id": …, "text": "<piece>"}) while the node runs, and the output `text` is the whole answer. ' +
    'Stopping the run aborts the request. Fails with type `llm_not_configured` when the server has no ' +
    'provider or no model, and `llm_error` when the provider fails, keeping its status and message ' +
    '(e.g. "provider answered 429: Rate limit reached").',
  example: {
    config: {
      template: 'Summarise in one sentence: ((article))',
      system: 'You are a concise editor.',
      model: 'gpt-4o-mini',
      temperature: 0.2,
      max_tokens: 200,
    },
    inputs: { article: 'Runloom stores workflows as DAGs and runs them over a REST API…' },
    outputs: { text: 'Runloom is a REST service that stores and runs DAG workflows.' },
  },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['template'],
    properties: {
      template: templateProperty('The user prompt, a template: ((name)) placeholders are filled from inputs.', 1),
      model: {
        type: 'string',
        minLength: 1,
        maxLength: 200,
        description: "Model name sent to the provider; defaults to the server's configured model.",
      },
      system: templateProperty('System prompt, a template like `template`.'),
      temperature: { type: 'number', minimum: 0, maximum: 2, description: 'Sampling temperature.' },
      max_tokens: { type: 'integer', minimum: 1, maximum: 100_000, description: 'Most tokens to generate.' },
    },
  },
  catalogConfig: { template: '' },
  connectorsFromConfig: 'one required input per ((placeholder)) across template and system',
  inputs: (config) => placeholderInputs(config.template, config.system),
  outputs: () => [{ name: 'text', description: 'the generated text' }],
  checkConfig: (config) => [...checkTemplate(config.template, 'template'), ...checkTemplate(config.system, 'system')],
  async execute(inputs, ctx) {
    const provider = ctx.services?.llm;
    if (!provider) {
      throw new NodeFailure(
        'no LLM provider is configured on this server (set LLM_BASE_URL, and LLM_API_KEY if it needs one)',
        'llm_not_configured',
      );
    }
    const model = ctx.config.model ?? provider.defaultModel;
    if (model === undefined) {
      throw new NodeFailure(
        'no model: set `model` in the node config or LLM_MODEL on the server',
        'llm_not_configured',
      );
    }
    const messages: ChatCompletionMessageParam[] = [];
    const system = ctx.config.system === undefined ? '' : await fillTemplate(ctx.config.system, inputs, ctx);
    if (system !== '') messages.push({ role: 'system', content: system });
    messages.push({ role: 'user', content: await fillTemplate(ctx.config.template, inputs, ctx) });
    const text = await withClientSpan(
      ctx.services,
      ctx.nodeId,
      'chat.completions',
      { 'gen_ai.request.model': model },
      () =>
        streamChatCompletion(
          provider,
          { model, messages, temperature: ctx.config.temperature, max_tokens: ctx.config.max_tokens },
          { signal: ctx.signal, onText: (piece) => ctx.emitDelta({ text: piece }) },
        ),
    );
    return { text };
  },
});
