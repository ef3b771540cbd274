import { definitionFromJson } from '../execution/definition.js';
import type { JsonSchema } from '../execution/node-type.js';

/** A SignalNode of a stored definition: the signal it takes and the schema its payload must match. */
export interface SignalNodeOf {
  id: string;
  name: string;
  schema?: JsonSchema;
}

/** The SignalNodes of a run's stored definition. */
export function signalNodesOf(definition: unknown): SignalNodeOf[] {
  return definitionFromJson(definition)
    .nodes.filter((node) => node.type === 'SignalNode')
    .map((node) => {
      const schema = node.config?.schema;
      return {
        id: node.id,
        name: String(node.config?.name),
        schema: typeof schema === 'object' && schema !== null ? (schema as JsonSchema) : undefined,
      };
    });
}
