import { defineNodeType, labelProperty } from './define-node-type.js';

export const INPUT_VALUE_TYPES = ['str', 'int', 'float', 'bool', 'dict', 'list', 'any'] as const;
export type InputValueType = (typeof INPUT_VALUE_TYPES)[number];

export type InputNodeConfig = {
  label?: string;
  type?: InputValueType;
  default?: unknown;
  description?: string;
};

const TYPE_NAMES: Record<InputValueType, string> = {
  str: 'a string',
  int: 'an integer',
  float: 'a number',
  bool: 'true or false',
  dict: 'a JSON object',
  list: 'a JSON array',
  any: 'any JSON value',
};

/** Whether `value` has the declared input type; the engine uses it to check run inputs too. */
export function matchesInputType(type: InputValueType, value: unknown): boolean {
  switch (type) {
    case 'str':
      return typeof value === 'string';
    case 'int':
      return Number.isInteger(value);
    case 'float':
      return typeof value === 'number' && Number.isFinite(value);
    case 'bool':
      return typeof value === 'boolean';
    case 'dict':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'list':
      return Array.isArray(value);
    case 'any':
      return value !== undefined;
  }
}

/** e.g. "must be an integer (type int)", for config and run-input messages alike. */
export function inputTypeMismatch(type: InputValueType): string {
  return `must be ${TYPE_NAMES[type]} (type ${type})`;
}

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
  execute: async (_inputs, ctx) => ({ value: ctx.runInput }),
});
