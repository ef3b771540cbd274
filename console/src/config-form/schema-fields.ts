/**
 * A node's form, generated from JSON Schema: one field per property of an object schema, in the
 * schema's order. Kinds are the InputNode's type names that typed-text.ts parses (`str`, `int`,
 * `float`, `bool`, `any` for JSON), plus `enum` (a select) and `object` (a fieldset of the
 * properties of a nested object schema, such as the `retry` policy).
 */
import { member } from '../../../src/workflows/definition/field-path';
import type { JsonSchema } from '../types';

export type FieldKind = 'str' | 'int' | 'float' | 'bool' | 'enum' | 'any' | 'object';

export interface FormField {
  /** The property name. */
  key: string;
  /** Where the value lives, relative to the node, spelled as the API spells problem paths: `config.template`, `retry.max_attempts`. */
  path: string;
  kind: FieldKind;
  /** The type as the schema says it (`string`, `string | null`, `array`), or `JSON` when it says none. */
  typeName: string;
  required: boolean;
  description?: string;
  /** The schema's default, shown where the value is left out. */
  defaultValue?: unknown;
  /** An `enum` field's choices. */
  choices?: string[];
  minimum?: number;
  maximum?: number;
  /** A string field edited in a text area (see `isMultiline`). */
  multiline: boolean;
  /** What creates the node's input ports from this field's value, shown beside it. */
  createsInputs?: 'placeholders' | 'names';
  /** A key the schema does not describe (kept, edited as JSON). */
  unknown?: boolean;
  /** An `object` field's own fields. */
  fields?: FormField[];
}

const SCALAR_KINDS: Record<string, FieldKind> = { string: 'str', integer: 'int', number: 'float', boolean: 'bool' };

/** Names of strings that hold prose or code of any length, whatever their schema's limit. */
const MULTILINE_NAMES = new Set([
  'template',
  'system',
  'prompt',
  'body',
  'code',
  'expression',
  'script',
  'query',
  'message',
  'description',
]);
/** Beyond this many characters a string is text to write (a prompt, code), not a name or a URL. */
const SINGLE_LINE_MAX_LENGTH = 8192;

/** The fields for the properties of `schema` (an object schema), under `base` (`config`, or '' for the node itself). */
export function fieldsOf(schema: JsonSchema, base: string): FormField[] {
  const properties = isPlainObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  return Object.entries(properties).map(([key, property]) =>
    fieldOf(key, isPlainObject(property) ? property : {}, pathOf(base, key), required.has(key)),
  );
}

/** True when `schema` describes an object by its properties, so the form can show one field per property. */
export function hasProperties(schema: JsonSchema): boolean {
  return isPlainObject(schema.properties) && Object.keys(schema.properties).length > 0;
}

/** A field for a key of `value` that `fields` do not describe: kept as it is, edited as JSON. */
export function unknownField(key: string, base: string): FormField {
  return {
    key,
    path: pathOf(base, key),
    kind: 'any',
    typeName: 'not in the schema',
    required: false,
    multiline: false,
    unknown: true,
  };
}

export function pathOf(base: string, key: string): string {
  return base === '' ? key : base + member(key);
}

function fieldOf(key: string, schema: JsonSchema, path: string, required: boolean): FormField {
  const declared = declaredType(schema);
  const description = typeof schema.description === 'string' ? schema.description : undefined;
  const field: FormField = {
    key,
    path,
    kind: kindOf(schema, declared.single),
    typeName: declared.name,
    required,
    description,
    defaultValue: schema.default,
    minimum: typeof schema.minimum === 'number' ? schema.minimum : undefined,
    maximum: typeof schema.maximum === 'number' ? schema.maximum : undefined,
    multiline: false,
    createsInputs: inputsCreatedBy(description),
  };
  if (field.kind === 'enum') field.choices = (schema.enum as string[]).slice();
  if (field.kind === 'str') field.multiline = isMultiline(key, schema);
  if (field.kind === 'object') field.fields = fieldsOf(schema, path);
  return field;
}

/**
 * The one type a value may have (`single`, when the schema names one, or one besides `null`) and
 * how to name the type to the user.
 */
function declaredType(schema: JsonSchema): { single?: string; name: string } {
  if (typeof schema.type === 'string') return { single: schema.type, name: schema.type };
  if (Array.isArray(schema.type)) {
    const nonNull = schema.type.filter((type) => type !== 'null');
    return { single: nonNull.length === 1 ? String(nonNull[0]) : undefined, name: schema.type.join(' | ') };
  }
  if (Array.isArray(schema.enum)) return { name: 'choice' };
  return { name: 'JSON' };
}

function kindOf(schema: JsonSchema, single: string | undefined): FieldKind {
  // A value the schema combines or refers to cannot be told apart from its schema alone: JSON.
  if (['oneOf', 'anyOf', 'allOf', 'not', '$ref', 'const', 'if'].some((keyword) => keyword in schema)) return 'any';
  if (Array.isArray(schema.enum)) {
    return schema.enum.length > 0 && schema.enum.every((choice) => typeof choice === 'string') ? 'enum' : 'any';
  }
  if (single === 'object' && hasProperties(schema)) return 'object';
  return (single === undefined ? undefined : SCALAR_KINDS[single]) ?? 'any';
}

/**
 * A string is written in a text area when its schema allows more than 8 KiB (a prompt, a
 * template, code, an expression, a body) or its name says it holds such text; names, ids, URLs,
 * patterned strings and everything else take one line.
 */
function isMultiline(key: string, schema: JsonSchema): boolean {
  if (typeof schema.pattern === 'string' || typeof schema.format === 'string') return false;
  if (MULTILINE_NAMES.has(key)) return true;
  return typeof schema.maxLength === 'number' && schema.maxLength > SINGLE_LINE_MAX_LENGTH;
}

/**
 * What creates input ports from the value, read from the description the node type gives: a
 * template's ((placeholders)), or a list of input names ("each becomes a required input").
 */
function inputsCreatedBy(description: string | undefined): FormField['createsInputs'] {
  if (!description) return undefined;
  if (/\btemplate\b|\(\(/i.test(description)) return 'placeholders';
  if (/\beach (?:becomes|is) a required input\b/i.test(description)) return 'names';
  return undefined;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
