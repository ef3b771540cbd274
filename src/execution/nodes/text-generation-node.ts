import { NodeFailure } from '../node-type.js';
import { checkTemplate, placeholderInputs } from '../template.js';
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
  description:
    'Generates text with an OpenAI-compatible chat API; tokens stream as node.delta events. ' +
    'Fails when the server has no provider configured.',
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
  execute: async () => {
    throw new NodeFailure('TextGenerationNode cannot run yet in this build', 'not_implemented');
  },
});
