import { INPUT_VALUE_TYPES, inputTypeMismatch, matchesInputType, type InputValueType } from '../input-value-type.js';
import { defineNodeType, labelProperty } from './define-node-type.js';

export type InputNodeConfig = {
  label?: string;
  type?: InputValueType;
  default?: unknown;
  description?: string;
};

export const InputNode = defineNodeType<InputNodeConfig>({
  type: 'InputNode',
  description:
    'A value of the run input: `input[label]`, or `input[node id]` when there is no label. ' +
    'Without a default the run input must provide it.',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      label: labelProperty('Key of this value in the run input; unique among InputNodes. Defaults to the node id.'),
      type: {
        type: 'string',
        enum: [...INPUT_VALUE_TYPES],
        default: 'str',
        description:
          'Type the value must have: str, int, float (any number), bool, dict (JSON object), ' +
          'list (JSON array) or any.',
      },
      default: { description: 'Used when the run input leaves this value out; must match `type`.' },
      description: { type: 'string', maxLength: 2000, description: 'Help text for whoever fills in the run input.' },
    },
  },
  catalogConfig: {},
  inputs: () => [],
  outputs: () => [{ name: 'value', description: 'the run input value' }],
  checkConfig(config) {
    const type = config.type ?? 'str';
    if (config.default === undefined || matchesInputType(type, config.default)) return [];
    return [{ path: 'default', message: inputTypeMismatch(type) }];
  },
  // The engine resolves the run input (label or id, default, type check) before calling this.
  execute: (_inputs, ctx) => ({ value: ctx.runInput }),
});
