import { checkExpression, evaluateExpression } from '../jsonata-expression.js';
import { defineNodeType, expressionTimeoutProperty, jsonataProperty } from './define-node-type.js';

export type TransformNodeConfig = { expression: string; timeout_ms?: number };

export const TransformNode = defineNodeType<TransformNodeConfig>({
  type: 'TransformNode',
  description: 'Reshapes its input with a JSONata expression.',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['expression'],
    properties: {
      expression: jsonataProperty(
        'JSONata evaluated on the input `data`, e.g. `items[price > 10].name`; no match gives null.',
      ),
      timeout_ms: expressionTimeoutProperty(),
    },
  },
  catalogConfig: { expression: '$' },
  inputs: () => [{ name: 'data', required: true, description: 'the value the expression reads' }],
  outputs: () => [{ name: 'result', description: 'the expression result (null when nothing matched)' }],
  checkConfig: (config) => checkExpression(config.expression),
  async execute(inputs, ctx) {
    return {
      result: (await evaluateExpression(ctx.config.expression, inputs.data, ctx, ctx.config.timeout_ms)) ?? null,
    };
  },
});
