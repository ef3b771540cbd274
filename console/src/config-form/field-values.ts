/** A field's value as text in its control, and back; how an edit goes into the object holding it. */
import { parseTypedText } from '../typed-text';
import { isPlainObject, unknownField, type FormField } from './schema-fields';

/** `form`: the field's own control; `json`: the raw JSON of its value. */
export type FieldMode = 'form' | 'json';

/** What a field's text gives: a value (undefined: leave the key out) or why there is none. */
export type Parsed = { value: unknown } | { error: string };

/** True when the field's own control can show `value` (an absent value fits every field). */
export function fits(field: FormField, value: unknown): boolean {
  if (value === undefined) return true;
  switch (field.kind) {
    case 'str':
      return typeof value === 'string';
    case 'enum':
      return typeof value === 'string' && field.choices!.includes(value);
    case 'int':
    case 'float':
      return typeof value === 'number';
    case 'bool':
      return typeof value === 'boolean';
    case 'object':
      return isPlainObject(value);
    case 'any':
      return true;
  }
}

/**
 * How the field is edited: as JSON when it has no control of its own, when the person asked for
 * JSON (`jsonPaths`), or when its value is one its control cannot show (a `null`, a string in a
 * number field) — so no value is ever shown as something it is not.
 */
export function modeOf(field: FormField, value: unknown, jsonPaths: ReadonlySet<string>): FieldMode {
  return field.kind === 'any' || jsonPaths.has(field.path) || !fits(field, value) ? 'json' : 'form';
}

export function textOf(field: FormField, mode: FieldMode, value: unknown): string {
  if (value === undefined) return '';
  if (mode === 'json' || field.kind === 'object') return JSON.stringify(value, null, 2);
  return String(value);
}

/**
 * The value a field's text gives. Empty text leaves the key out, except in a required string
 * field, where it is the empty string (a template may be empty; leaving it out would not be).
 */
export function parseFieldText(field: FormField, mode: FieldMode, text: string): Parsed {
  if (mode === 'form' && field.kind === 'str' && field.required && text === '') return { value: '' };
  const type = mode === 'json' ? 'any' : field.kind === 'enum' ? 'str' : field.kind;
  try {
    const value = parseTypedText(field.key, type, text);
    if (typeof value === 'number' && !Number.isFinite(value)) return { error: `${field.key}: not a number` };
    return { value };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/**
 * `object` with `key` set to `value`, or without it when `value` is undefined. The other keys keep
 * their order, a key already there keeps its place, and a new key goes at the end.
 */
export function withKey(object: Record<string, unknown> | undefined, key: string, value: unknown) {
  const result: Record<string, unknown> = { ...object };
  if (value === undefined) delete result[key];
  else result[key] = value;
  return result;
}

/** The fields shown for an object value: the schema's, then one per key it does not describe (never dropped). */
export function fieldsFor(fields: FormField[], value: unknown, base: string): FormField[] {
  if (!isPlainObject(value)) return fields;
  const described = new Set(fields.map((field) => field.key));
  const unknown = Object.keys(value).filter((key) => !described.has(key));
  return [...fields, ...unknown.map((key) => unknownField(key, base))];
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
