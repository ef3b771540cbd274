import { NodeFailure } from '../node-type.js';
import { checkTemplate, fillTemplate, placeholderInputs } from '../template.js';
import { defineNodeType, templateProperty } from './define-node-type.js';

export type FailNodeConfig = { message: string };

export const FailNode = defineNodeType<FailNodeConfig>({
  type: 'FailNode',
  description:
    'Fails the run with a message when it runs; put it behind a ConditionNode branch to fail on a condition.',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['message'],
    properties: {
      message: templateProperty(
        'The error message, a template: each ((name)) is filled from the input of that name.',
        1,
      ),
    },
  },
  catalogConfig: { message: 'failed' },
  connectorsFromConfig:
    'optional input `value` (for ordering: the node runs once it arrives) plus one required input ' +
    'per ((placeholder)) in message; ((value)) makes `value` required',
  inputs(config) {
    const placeholders = placeholderInputs(config.message);
    if (placeholders.some((input) => input.name === 'value')) return placeholders;
    return [{ name: 'value', required: false, description: 'runs the node once it arrives' }, ...placeholders];
  },
  outputs: () => [],
  checkConfig: (config) => checkTemplate(config.message, 'message'),
  async execute(inputs, ctx) {
    throw new NodeFailure(await fillTemplate(ctx.config.message, inputs, ctx), 'fail_node');
  },
});
