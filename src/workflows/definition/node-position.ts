/** Save-time check of a node's `position`: where an editor drew it. Runs never read it. */
import type { JsonSchema } from '../../execution/node-type.js';
import { compileSchema, reportedProblems } from './config-schema-problems.js';
import type { DefinitionProblem } from './definition-problem.js';

export const NODE_POSITION_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'Where an editor drew the node (canvas coordinates); runs ignore it.',
  properties: { x: { type: 'number' }, y: { type: 'number' } },
  required: ['x', 'y'],
  additionalProperties: false,
};

const validatePosition = compileSchema(NODE_POSITION_SCHEMA);

export function checkNodePosition(node: Record<string, unknown>, at: string, problems: DefinitionProblem[]): void {
  if (node.position === undefined || validatePosition(node.position)) return;
  problems.push(...reportedProblems(validatePosition, node.position, `${at}.position`));
}
