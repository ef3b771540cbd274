/** The value types an InputNode declares: InputNode checks its default with them, the engine the run input. */
export const INPUT_VALUE_TYPES = ['str', 'int', 'float', 'bool', 'dict', 'list', 'any'] as const;
export type InputValueType = (typeof INPUT_VALUE_TYPES)[number];

const TYPE_NAMES: Record<InputValueType, string> = {
  str: 'a string',
  int: 'an integer',
  float: 'a number',
  bool: 'true or false',
  dict: 'a JSON object',
  list: 'a JSON array',
  any: 'any JSON value',
};

/** Whether `value` has the declared input type (an InputNode's `default`, and the run input the engine checks). */
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
