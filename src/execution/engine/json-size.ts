import { unstorable } from '../../common/body-shape.js';

/**
 * Arrays and objects nest at most this deep in any value a node takes or makes (MAX_VALUE_DEPTH).
 * Deeper values cannot be stored: V8's JSON.stringify, which the database driver uses, overflows
 * its stack at about 4,000 levels, and PostgreSQL's jsonb at about 10,000 (2 MB max_stack_depth).
 * 1,000 leaves room for the levels a record adds around a value (outputs, events, the run output).
 */
export const MAX_VALUE_DEPTH = 1000;

/**
 * The value's bytes of UTF-8 JSON; or why it cannot be stored: nested deeper than allowed, or a
 * string (a key included) with NUL or an unpaired surrogate, which PostgreSQL refuses in jsonb.
 */
export type JsonSize = { bytes: number } | { problem: 'too_deep' | 'unstorable' };

/**
 * The UTF-8 length of `JSON.stringify(value)`, computed without building the text and without
 * recursion (an explicit stack), so any depth is measured in constant stack space. Stops at the
 * first array or object nested deeper than `maxDepth` (the outermost one is level 1), or the first
 * string that cannot be stored.
 */
export function jsonSize(value: unknown, maxDepth = MAX_VALUE_DEPTH): JsonSize {
  const top = serialisable(value, '');
  if (!isWritten(top)) return { bytes: 0 };
  let bytes = 0;
  const values: unknown[] = [top];
  const depths: number[] = [0];
  while (values.length > 0) {
    const item = values.pop();
    const depth = depths.pop()!;
    if (item === null || typeof item !== 'object') {
      if (typeof item === 'string' && unstorable(item)) return { problem: 'unstorable' };
      bytes += primitiveBytes(item);
      continue;
    }
    if (depth + 1 > maxDepth) return { problem: 'too_deep' };
    if (Array.isArray(item)) {
      bytes += 2 + Math.max(item.length - 1, 0);
      for (let index = 0; index < item.length; index++) {
        const element = serialisable(item[index], String(index));
        values.push(isWritten(element) ? element : null);
        depths.push(depth + 1);
      }
      continue;
    }
    let members = 0;
    for (const key of Object.keys(item)) {
      const member = serialisable((item as Record<string, unknown>)[key], key);
      if (!isWritten(member)) continue;
      if (unstorable(key)) return { problem: 'unstorable' };
      members++;
      bytes += Buffer.byteLength(JSON.stringify(key)) + 1;
      values.push(member);
      depths.push(depth + 1);
    }
    bytes += 2 + Math.max(members - 1, 0);
  }
  return { bytes };
}

/** What JSON.stringify writes for the value: its `toJSON()` result when it has one (a Date). */
function serialisable(value: unknown, key: string): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return (value as { toJSON(key: string): unknown }).toJSON(key);
  }
  return value;
}

/** JSON.stringify leaves these out of objects and writes `null` for them in arrays. */
function isWritten(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

function primitiveBytes(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(JSON.stringify(value));
  // Numbers, booleans and null are ASCII; a bigint throws here as it does in JSON.stringify.
  return JSON.stringify(value).length;
}
