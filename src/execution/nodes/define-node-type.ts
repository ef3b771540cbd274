import type { ConfigProblem, JsonSchema, NodeExample, NodeType, NodeTypeDescription } from '../node-type.js';

/** What a node type file declares; `defineNodeType` derives `describe()` from it. */
export interface NodeTypeSpec<C> extends Omit<NodeType<C>, 'describe' | 'checkConfig'> {
  description: string;
  configSchema: JsonSchema;
  /** The config whose connectors the catalog shows (the connectors when they are static). */
  catalogConfig: C;
  /** Set when connectors vary with config, e.g. "one input per ((placeholder)) in template". */
  connectorsFromConfig?: string;
  example?: NodeExample;
  checkConfig?(config: C): ConfigProblem[];
}

export function defineNodeType<C>(spec: NodeTypeSpec<C>): NodeType<C> {
  const { description, configSchema, catalogConfig, connectorsFromConfig, example, ...behaviour } = spec;
  const catalogEntry: NodeTypeDescription = {
    type: spec.type,
    description,
    config_schema: configSchema,
    inputs: spec.inputs(catalogConfig),
    outputs: spec.outputs(catalogConfig),
    ...(connectorsFromConfig === undefined ? {} : { connectors_from_config: connectorsFromConfig }),
    ...(example === undefined ? {} : { example }),
  };
  return {
    ...behaviour,
    describe: () => catalogEntry,
    checkConfig: spec.checkConfig ?? (() => []),
  };
}

/** Shared config schema properties, so the same kind of setting has the same limits everywhere. */
const MAX_TEMPLATE_LENGTH = 100_000;

export function templateProperty(description: string, minLength = 0): JsonSchema {
  return { type: 'string', minLength, maxLength: MAX_TEMPLATE_LENGTH, description };
}

export function jsonataProperty(description: string): JsonSchema {
  return { type: 'string', minLength: 1, maxLength: 10_000, description };
}

export function expressionTimeoutProperty(): JsonSchema {
  return {
    type: 'integer',
    minimum: 1,
    maximum: 30_000,
    default: 2000,
    description:
      'Fails the node (`expression_timeout`) when the expression runs longer, in milliseconds; the server ' +
      'caps it at USER_CODE_MAX_TIMEOUT_MS.',
  };
}

export function labelProperty(description: string): JsonSchema {
  return { type: 'string', minLength: 1, maxLength: 200, description };
}
