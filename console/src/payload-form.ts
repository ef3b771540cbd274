import { parseTypedText } from './typed-text';
import type { JsonSchema } from './types';

/** A top-level property of a signal's object schema, as a field in the InputNode's type names. */
export interface PayloadField {
  name: string;
  type: string;
  /** The type as the schema says it. */
  typeName: string;
  required: boolean;
  description?: string;
}

const FIELD_TYPES: Record<string, string> = { string: 'str', number: 'float', integer: 'int', boolean: 'bool' };

/**
 * The fields of a payload form: one per top-level property of an object schema (the required
 * ones first), an input for a string, number, integer or boolean and JSON for anything else (an
 * array, a nested object). Undefined when the schema is no object schema with properties, or
 * there is none (any JSON): the whole payload is then one JSON field.
 */
export function payloadFields(schema: JsonSchema | null | undefined): PayloadField[] | undefined {
  if (schema?.type !== 'object' || !isObject(schema.properties)) return undefined;
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  // Required first: a stored schema's properties come back in jsonb's key order, not the author's.
  const properties = Object.entries(schema.properties).sort(
    ([a], [b]) => Number(required.has(b)) - Number(required.has(a)),
  );
  return properties.map(([name, property]) => {
    const declared = isObject(property) && typeof property.type === 'string' ? property.type : undefined;
    return {
      name,
      type: (declared && FIELD_TYPES[declared]) ?? 'any',
      typeName: declared ?? 'JSON',
      required: required.has(name),
      description: isObject(property) && typeof property.description === 'string' ? property.description : undefined,
    };
  });
}

/** The payload the fields' texts give; empty fields are left out, so the API names a missing required one. */
export function payloadOf(fields: PayloadField[], texts: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(
    fields
      .map((field) => [field.name, parseTypedText(field.name, field.type, texts[field.name] ?? '')] as const)
      .filter(([, value]) => value !== undefined),
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
