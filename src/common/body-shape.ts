/**
 * Checks a parsed JSON body for what would otherwise fail late (a 500) or silently change data:
 * nesting deep enough to overflow class-transformer's recursion, strings PostgreSQL cannot store
 * (NUL, and unpaired UTF-16 surrogates, which jsonb rejects and text mangles), and the keys
 * `__proto__` and `constructor`, which class-transformer drops without a word.
 */
import type { FieldProblem } from './problem.js';

export const MAX_BODY_DEPTH = 100;
const MAX_PROBLEMS = 20;
const RESERVED_KEYS = new Set(['__proto__', 'constructor']);
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const unstorable = (text: string) => text.includes('\u0000') || UNPAIRED_SURROGATE.test(text);
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

interface Pending {
  value: unknown;
  path: string;
  depth: number;
}

export function bodyShapeProblems(body: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  // Breadth-first and iterative, so the check itself cannot overflow the stack.
  const pending: Pending[] = [{ value: body, path: '', depth: 0 }];
  for (let next = 0; next < pending.length && problems.length < MAX_PROBLEMS; next++) {
    const { value, path, depth } = pending[next];
    if (typeof value === 'string') {
      if (unstorable(value)) problems.push({ field: path || 'body', message: UNSTORABLE_MESSAGE });
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_BODY_DEPTH) {
      problems.push({ field: path || 'body', message: `is nested more than ${MAX_BODY_DEPTH} levels deep` });
      return problems;
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) => pending.push({ value: item, path: `${path}[${index}]`, depth: depth + 1 }));
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      const field = childPath(path, key);
      if (RESERVED_KEYS.has(key)) problems.push({ field, message: 'is a reserved name and cannot be used as a key' });
      else if (unstorable(key)) problems.push({ field, message: `is not a valid key: ${UNSTORABLE_MESSAGE}` });
      pending.push({ value: item, path: field, depth: depth + 1 });
    }
  }
  return problems;
}

const UNSTORABLE_MESSAGE = 'must not contain NUL characters or unpaired surrogates';

function childPath(parent: string, key: string): string {
  if (parent === '') return key;
  return IDENTIFIER.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}
