/** Checks a node config against its type's JSON Schema, one problem per Ajv error. */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { JsonSchema, NodeType } from '../../execution/node-type.js';
import type { DefinitionProblem } from './definition-problem.js';
import { member, pointerToPath } from './field-path.js';

const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true });

// Compiled once per node type, on first use.
const validators = new WeakMap<NodeType, ValidateFunction>();

function validatorFor(nodeType: NodeType): ValidateFunction {
  let validate = validators.get(nodeType);
  if (!validate) {
    validate = ajv.compile(nodeType.describe().config_schema);
    validators.set(nodeType, validate);
  }
  return validate;
}

export function configSchemaProblems(nodeType: NodeType, config: unknown, configPath: string): DefinitionProblem[] {
  const validate = validatorFor(nodeType);
  return validate(config) ? [] : reportedProblems(validate, config, configPath);
}

/** Compiles a JSON Schema with the same options the node configs are checked with; a value it accepts is a `T`. */
export function compileSchema<T = unknown>(schema: JsonSchema): ValidateFunction<T> {
  return ajv.compile<T>(schema);
}

/** The problems `validate` found in `value` on its last call, which refused it. */
export function reportedProblems(validate: ValidateFunction, value: unknown, path: string): DefinitionProblem[] {
  return (validate.errors ?? [])
    .filter((error) => error.keyword !== 'propertyNames') // its inner error names the property
    .map((error) => toProblem(error, path + pointerToPath(error.instancePath, value)));
}

function toProblem(error: ErrorObject, at: string): DefinitionProblem {
  const params = error.params as Record<string, unknown>;
  if (error.propertyName !== undefined) {
    return { field: at + member(error.propertyName), message: `is not a valid name: ${error.message}` };
  }
  switch (error.keyword) {
    case 'required':
      return { field: at + member(String(params.missingProperty)), message: 'is required' };
    case 'additionalProperties': {
      const allowed = Object.keys((error.parentSchema?.properties ?? {}) as object);
      return {
        field: at + member(String(params.additionalProperty)),
        message: `is not allowed; allowed: ${allowed.join(', ')}`,
      };
    }
    case 'enum':
      return { field: at, message: `must be one of: ${(params.allowedValues as unknown[]).join(', ')}` };
    default:
      return { field: at, message: error.message ?? `fails ${error.keyword}` };
  }
}
