/**
 * Checks a parsed JSON body for what would otherwise fail late (a 500) or silently change data:
 * nesting deep enough to overflow class-transformer's recursion, strings PostgreSQL cannot store
 * (NUL, and unpaired UTF-16 surrogates, which jsonb rejects and text mangles), and the key
 * `__proto__`, which too much JavaScript treats as the prototype rather than as data.
 */
import type { FieldProblem } from './problem.js';

export const MAX_BODY_DEPTH = 100;
const MAX_PROBLEMS = 20;
const RESERVED_KEY = '__proto__';
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// One cheap scan for the characters that may be a problem; most strings have none.
// eslint-disable-next-line no-control-regex -- NUL is exactly what it looks for
const SUSPECT = /[\u0000\ud800-\udfff]/;
/** A string PostgreSQL refuses in jsonb (NUL) or text mangles (an unpaired UTF-16 surrogate). */
export const unstorable = (text: string) =>
  SUSPECT.test(text) && (text.includes('\u0000') || UNPAIRED_SURROGATE.test(text));
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Breadth-first and iterative, so the check itself cannot overflow the stack, and linear: each
 * value costs a few array pushes; a path is spelled out only for a value with a problem.
 */
export function bodyShapeProblems(body: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const values: unknown[] = [body];
  const parents: number[] = [-1];
  const keys: (string | number)[] = [''];
  const depths: number[] = [0];
  const pathOf = (index: number) => fieldPath(parents, keys, index);
  for (let next = 0; next < values.length && problems.length < MAX_PROBLEMS; next++) {
    const value = values[next];
    if (typeof value === 'string') {
      if (unstorable(value)) problems.push({ field: pathOf(next), message: UNSTORABLE_MESSAGE });
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    const depth = depths[next];
    if (depth >= MAX_BODY_DEPTH) {
      problems.push({ field: pathOf(next), message: `is nested more than ${MAX_BODY_DEPTH} levels deep` });
      return problems;
    }
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        const item: unknown = value[index];
        // Numbers, booleans and null need no check and no bookkeeping.
        if (typeof item !== 'string' && (typeof item !== 'object' || item === null)) continue;
        values.push(item);
        parents.push(next);
        keys.push(index);
        depths.push(depth + 1);
      }
      continue;
    }
    for (const key of Object.keys(value)) {
      const child = values.length;
      values.push((value as Record<string, unknown>)[key]);
      parents.push(next);
      keys.push(key);
      depths.push(depth + 1);
      if (key === RESERVED_KEY) {
        problems.push({ field: pathOf(child), message: 'is a reserved name and cannot be used as a key' });
      } else if (unstorable(key)) {
        problems.push({ field: pathOf(child), message: `is not a valid key: ${UNSTORABLE_MESSAGE}` });
      }
    }
  }
  return problems;
}

const UNSTORABLE_MESSAGE = 'must not contain NUL characters or unpaired surrogates';

function fieldPath(parents: number[], keys: (string | number)[], index: number): string {
  const chain: (string | number)[] = [];
  for (let at = index; parents[at] !== -1; at = parents[at]) chain.unshift(keys[at]);
  if (chain.length === 0) return 'body';
  return chain
    .map((key, position) => {
      if (typeof key === 'number') return `[${key}]`;
      if (position === 0) return key;
      return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
    })
    .join('');
}
