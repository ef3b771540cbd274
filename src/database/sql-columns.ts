/**
 * The typed boundary between Prisma models and the SQL written by hand (the hot paths send their
 * statements on the pg pool, see docs/architecture.md, "The SQL boundary"). A `ColumnMap` names
 * the column of every field of a model, so a field added to the schema does not compile until it
 * is mapped; row decoding, column lists and parameter arrays are all derived from the map.
 */

/** How one model field is stored. */
export interface Column<Value> {
  /** The column's name in SQL (the field's `@map` in prisma/schema.prisma). */
  readonly name: string;
  /** The value as a query parameter; undefined is SQL NULL. */
  readonly encode: (value: Value | undefined) => unknown;
  /** A json/jsonb column: `encode` gives JSON text (or null for SQL NULL). */
  readonly json?: true;
}

/** Every field of `Model`, mapped to its column. */
export type ColumnMap<Model> = { readonly [Field in keyof Model]-?: Column<Model[Field]> };

/**
 * A column pg sends and returns as Prisma's JS type already: uuid, text and enums as strings,
 * integers as numbers, booleans, timestamptz as Dates. (Not bigint or numeric, which pg returns
 * as strings: such a column needs its own decoding here before a raw statement reads it.)
 */
export function column<Value>(name: string): Column<Value> {
  return { name, encode: (value) => value };
}

/** A json/jsonb column: pg parses it when reading, but would send a JS array as a PostgreSQL array. */
export function jsonColumn<Value>(name: string): Column<Value> {
  return { name, encode: jsonParameter, json: true };
}

/**
 * A json/jsonb column whose values are objects shared and never changed once made (a run's
 * `definition`: the runs of one workflow version share one object), so each is stringified once.
 */
export function sharedJsonColumn<Value>(name: string): Column<Value> {
  const texts = new WeakMap<object, string>();
  return {
    name,
    json: true,
    encode: (value) => {
      if (typeof value !== 'object' || value === null) return jsonParameter(value);
      let text = texts.get(value);
      if (text === undefined) texts.set(value, (text = JSON.stringify(value)));
      return text;
    },
  };
}

/** A value for a json/jsonb parameter; undefined is SQL NULL (null is JSON null). */
export function jsonParameter(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** The map's fields in the map's order, less `omitted`. */
export function fieldsWithout<Model, Omitted extends keyof Model>(
  columns: ColumnMap<Model>,
  omitted: readonly Omitted[],
): Exclude<keyof Model, Omitted>[] {
  return (Object.keys(columns) as (keyof Model)[]).filter(
    (field): field is Exclude<keyof Model, Omitted> => !omitted.includes(field as Omitted),
  );
}

/** `a, b, c`: the fields' columns, for a SELECT or an INSERT column list. */
export function columnList<Model>(columns: ColumnMap<Model>, fields: readonly (keyof Model)[]): string {
  return fields.map((field) => columns[field].name).join(', ');
}

/** `(a, b, c) VALUES ($first, …)`: an INSERT of the fields, whose parameters `encodeFields` gives. */
export function insertValues<Model>(columns: ColumnMap<Model>, fields: readonly (keyof Model)[], first = 1): string {
  const parameters = fields.map((_, index) => `$${first + index}`).join(', ');
  return `(${columnList(columns, fields)}) VALUES (${parameters})`;
}

/** The fields' values as query parameters, in the fields' order. */
export function encodeFields<Model, Field extends keyof Model>(
  columns: ColumnMap<Model>,
  fields: readonly Field[],
  model: { readonly [Name in Field]: Model[Name] | undefined },
): unknown[] {
  return fields.map((field) => columns[field].encode(model[field]));
}

/**
 * JSON text in pieces, meant to be written one after another (jsonArray): a large member (a run's
 * journal) goes in as the string it already is, not copied into one string with its record.
 */
export type JsonPieces = readonly string[];

/**
 * The fields as one JSON object keyed by column, for statements that take many rows in one
 * parameter (`json_populate_record`): a value that is undefined is left out (SQL NULL), a Date is
 * its ISO text, and a json/jsonb column's JSON text is wrapped in a one-element array, so that JSON
 * null stays JSON null (populating would read it as SQL NULL); `recordValues` unwraps it. `more`
 * are further members, by name, as JSON text, for what the statement reads beside the row.
 */
export function recordJson<Model, Field extends keyof Model>(
  columns: ColumnMap<Model>,
  fields: readonly Field[],
  model: { readonly [Name in Field]: Model[Name] | undefined },
  more: Readonly<Record<string, string>> = {},
): JsonPieces {
  const members: string[] = [];
  for (const field of fields) {
    const column = columns[field];
    const value = model[field];
    if (value === undefined) continue;
    members.push(`"${column.name}":${column.json ? `[${column.encode(value) as string}]` : scalarJson(value)}`);
  }
  const pieces = ['{', members.join(',')];
  for (const [name, text] of Object.entries(more)) pieces.push(`,"${name}":`, text);
  pieces.push('}');
  return pieces;
}

/** JSON.stringify of a column's scalar; a Date by its toISOString (JSON.stringify reaches it through toJSON, slower). */
function scalarJson(value: unknown): string {
  return value instanceof Date ? `"${value.toISOString()}"` : JSON.stringify(value);
}

/**
 * The UTF-8 bytes of `[a,b,…]`, the records as one JSON array: a statement's many-rows parameter,
 * for a `$n::json` placeholder only. pg sends a Buffer as it is, in binary format, which for json
 * is its text (jsonb's starts with a version byte: a Buffer would be refused there). Encoded piece
 * by piece, so that no string of a whole record, let alone of the batch, is built: pg would flatten
 * and encode one string of all of them, two bytes a character once one character is not ASCII, a
 * large-object allocation of a few hundred KB per statement that cost about as much CPU as building
 * the records (measured).
 */
export function jsonArray(records: readonly JsonPieces[]): Buffer {
  const pieces = records.flatMap((record, index) => (index === 0 ? record : [',', ...record]));
  const sizes = pieces.map((piece) => Buffer.byteLength(piece));
  const bytes = Buffer.allocUnsafe(sizes.reduce((total, size) => total + size, 2));
  let at = bytes.write('[');
  pieces.forEach((piece, index) => {
    at += bytes.write(piece, at, sizes[index]);
  });
  bytes.write(']', at);
  return bytes;
}

/** The fields' values of `record`, a row populated from recordJson's object, for an INSERT's SELECT list. */
export function recordValues<Model>(
  columns: ColumnMap<Model>,
  fields: readonly (keyof Model)[],
  record: string,
): string {
  return fields.map((field) => `${record}.${columns[field].name}${columns[field].json ? ' -> 0' : ''}`).join(', ');
}

/**
 * A row pg returned (it may have more columns) as the model, or the picked fields of it. A mapped
 * column missing from the row throws: the statement and the map disagree.
 */
export function decodeRow<Model>(columns: ColumnMap<Model>, row: Record<string, unknown>): Model;
export function decodeRow<Model, Field extends keyof Model>(
  columns: ColumnMap<Model>,
  row: Record<string, unknown>,
  fields: readonly Field[],
): Pick<Model, Field>;
export function decodeRow<Model>(
  columns: ColumnMap<Model>,
  row: Record<string, unknown>,
  fields: readonly (keyof Model)[] = Object.keys(columns) as (keyof Model)[],
): Partial<Model> {
  const decoded: Partial<Record<keyof Model, unknown>> = {};
  for (const field of fields) {
    const { name } = columns[field];
    if (!(name in row)) throw new Error(`the row has no column ${name} (for ${String(field)})`);
    decoded[field] = row[name];
  }
  return decoded as Partial<Model>;
}
