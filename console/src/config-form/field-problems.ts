/** Where a node's problems appear in its form, and which input ports a field creates. */
import type { FieldError } from '../api';
import type { InputConnector } from '../../../src/execution/node-catalog';
import { fieldsFor, modeOf } from './field-values';
import type { FormField } from './schema-fields';

export interface PlacedFieldProblems {
  /** Messages per field path; a message about a part of the field's value starts with that part (`[1]: …`). */
  byPath: Record<string, string[]>;
  /** Problems no shown field holds (e.g. about the whole `config`), shown at the top of the form. */
  general: FieldError[];
}

/**
 * The paths of the fields shown for `value` (an object holding `fields`' keys): every field, and
 * the fields inside an `object` field that is set and not edited as JSON.
 */
export function shownPaths(fields: FormField[], value: unknown, jsonPaths: ReadonlySet<string>): string[] {
  const object = (value ?? {}) as Record<string, unknown>;
  return fields.flatMap((field) => {
    const own = object[field.key];
    if (field.kind !== 'object' || own === undefined || modeOf(field, own, jsonPaths) === 'json') return [field.path];
    return [field.path, ...shownPaths(fieldsFor(field.fields!, own, field.path), own, jsonPaths)];
  });
}

/** Puts each problem under the deepest shown field whose path is the problem's or starts it. */
export function placeFieldProblems(problems: FieldError[], paths: string[]): PlacedFieldProblems {
  const placed: PlacedFieldProblems = { byPath: {}, general: [] };
  const deepestFirst = [...paths].sort((a, b) => b.length - a.length);
  for (const problem of problems) {
    const path = deepestFirst.find((candidate) => isWithin(problem.field, candidate));
    if (path === undefined) {
      placed.general.push(problem);
      continue;
    }
    const rest = problem.field.slice(path.length).replace(/^\./, '');
    (placed.byPath[path] ??= []).push(rest ? `${rest}: ${problem.message}` : problem.message);
  }
  return placed;
}

function isWithin(path: string, field: string): boolean {
  return path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`);
}

/**
 * The node's input ports that this field's value creates. The server tells which inputs the node
 * has (from its config, as the person types); this only says which of them this field names, so
 * placeholder syntax stays the server's business.
 */
export function inputsCreatedBy(field: FormField, value: unknown, inputs: InputConnector[]): InputConnector[] {
  if (field.createsInputs === 'names') {
    return Array.isArray(value) ? inputs.filter((input) => value.includes(input.name)) : [];
  }
  if (field.createsInputs !== 'placeholders' || value === undefined) return [];
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return inputs.filter((input) => new RegExp(`\\(\\(\\s*${escapeRegExp(input.name)}\\s*\\)\\)`).test(text));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
