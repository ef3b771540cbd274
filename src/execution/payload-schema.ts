import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { JsonSchema } from './node-type.js';

/**
 * JSON Schemas users write for values (a SignalNode's payload). Unknown keywords and formats are
 * allowed (a schema copied from elsewhere should work); `format` is not checked.
 */
const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });

/** Compiled schemas by their JSON, so one workflow's schema is compiled once per process. */
const compiled = new Map<string, ValidateFunction>();
const MAX_COMPILED = 1000;

/** A compiled schema, or the reason it does not compile. */
export function compilePayloadSchema(schema: JsonSchema): ValidateFunction | { problem: string } {
  const key = JSON.stringify(schema);
  const known = compiled.get(key);
  if (known) return known;
  try {
    const validate = ajv.compile(schema);
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, validate);
    return validate;
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

/** Why `value` does not match `schema`, one line per mismatch; [] when it matches. */
export function payloadProblems(schema: JsonSchema, value: unknown): string[] {
  const validate = compilePayloadSchema(schema);
  if ('problem' in validate) return [`the schema does not compile: ${validate.problem}`];
  if (validate(value)) return [];
  return (validate.errors ?? []).map(describe);
}

function describe(error: ErrorObject): string {
  return `${error.instancePath || '(the payload)'} ${error.message ?? `fails ${error.keyword}`}`;
}
