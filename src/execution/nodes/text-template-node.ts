import { checkTemplate, fillTemplate, placeholderInputs } from '../template.js';
import { defineNodeType, templateProperty } from './define-node-type.js';

export type TextTemplateNodeConfig = { template: string };

export const TextTemplateNode = defineNodeType<TextTemplateNodeConfig>({
  type: 'TextTemplateNode',
  description:
    'Fills a text template: each ((name)) is replaced by the input of that name, strings as ' +
    'they are, other values as JSON.',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['template'],
    properties: {
      template: templateProperty(
        'Text with ((name)) placeholders; a name is a letter or _ followed by letters, digits ' +
          'or _, and may be padded with spaces: (( name )). Every placeholder is a required input.',
      ),
    },
  },
  catalogConfig: { template: '' },
  connectorsFromConfig: 'one required input per ((placeholder)) in template',
  inputs: (config) => placeholderInputs(config.template),
  outputs: () => [{ name: 'text', description: 'the filled template' }],
  checkConfig: (config) => checkTemplate(config.template, 'template'),
  execute(inputs, ctx) {
    const text = fillTemplate(ctx.config.template, inputs, ctx);
    return typeof text === 'string' ? { text } : text.then((filled) => ({ text: filled }));
  },
});
