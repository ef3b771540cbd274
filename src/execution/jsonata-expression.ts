/** JSONata compile and evaluate, shared by ConditionNode and TransformNode. */
import jsonata from 'jsonata';
import { type ConfigProblem, NodeFailure } from './node-type.js';

/**
 * jsonata evaluates in one chain of microtasks, so a runaway expression blocks the event loop
 * (and ctx.signal cannot interrupt it) until this guard trips.
 */
export const JSONATA_TIMEOUT_MS = 2000;

interface JsonataErrorLike {
  message?: string;
  position?: number;
}

function describeError(error: unknown): string {
  const { message, position } = (error ?? {}) as JsonataErrorLike;
  const text = message ?? String(error);
  return position === undefined ? text : `${text} (at position ${position})`;
}

/** A problem when `expression` does not parse. */
export function checkExpression(expression: string, path = 'expression'): ConfigProblem[] {
  try {
    jsonata(expression);
    return [];
  } catch (error) {
    return [{ path, message: `invalid JSONata: ${describeError(error)}` }];
  }
}

/**
 * Evaluates `expression` against `data` and returns the result as plain JSON (jsonata's
 * sequences become arrays); `undefined` when the expression matches nothing.
 */
export async function evaluateExpression(expression: string, data: unknown): Promise<unknown> {
  let result: unknown;
  try {
    result = await jsonata(expression, { timeout: JSONATA_TIMEOUT_MS }).evaluate(data);
  } catch (error) {
    throw new NodeFailure(`expression failed: ${describeError(error)}`, 'expression_error');
  }
  return toJson(result);
}

function toJson(result: unknown): unknown {
  if (result === undefined) return undefined;
  if (isFunction(result)) {
    throw new NodeFailure('expression evaluated to a function, not a value', 'expression_error');
  }
  try {
    return JSON.parse(JSON.stringify(result)) as unknown;
  } catch {
    throw new NodeFailure('expression result is not JSON', 'expression_error');
  }
}

function isFunction(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (typeof value !== 'object' || value === null) return false;
  const marked = value as { _jsonata_lambda?: boolean; _jsonata_function?: boolean };
  return Boolean(marked._jsonata_lambda || marked._jsonata_function);
}
