import { checkExpression, evaluateExpression } from '../jsonata-expression.js';
import { defineNodeType, expressionTimeoutProperty, jsonataProperty } from './define-node-type.js';

export type ConditionNodeConfig = { expression: string; timeout_ms?: number };

export const ConditionNode = defineNodeType<ConditionNodeConfig>({
  type: 'ConditionNode',
  description:
    'Evaluates a JSONata expression on its input and passes the input out of `true` or `false`; ' +
    'nodes fed only by the other branch are skipped.',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['expression'],
    properties: {
      expression: jsonataProperty(
        'JSONata evaluated on the input value, e.g. `score > 0.5`. The result is taken as JavaScript ' +
          'truthiness: false, 0, "", null and no match take the false branch; everything else, ' +
          'including [] and {}, takes the true branch.',
      ),
      timeout_ms: expressionTimeoutProperty(),
    },
  },
  catalogConfig: { expression: 'true' },
  inputs: () => [{ name: 'value', required: true, description: 'the value tested and passed on' }],
  outputs: () => [
    { name: 'true', description: 'the input value, when the expression is truthy' },
    { name: 'false', description: 'the input value, when the expression is falsy' },
  ],
  checkConfig: (config) => checkExpression(config.expression),
  async execute(inputs, ctx) {
    const value = inputs.value ?? null;
    const branch = Boolean(await evaluateExpression(ctx.config.expression, value, ctx, ctx.config.timeout_ms));
    return branch ? { true: value } : { false: value };
  },
});
