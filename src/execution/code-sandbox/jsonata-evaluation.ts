/**
 * JSONata evaluation as a sandbox worker runs it. A runaway expression (a catastrophic regex, a
 * huge range, endless recursion) blocks only this worker thread; the host terminates the worker
 * when it overruns its time. jsonata's own timeout still ends most runaways earlier, cheaply.
 */
import jsonata from 'jsonata';
import type { ExpressionJob, SandboxOutcome } from './sandbox-protocol.js';

/** Compiled expressions kept per worker; a workflow's expressions are few and repeat. */
const MAX_COMPILED = 500;
const compiled = new Map<string, jsonata.Expression>();

interface JsonataErrorLike {
  message?: string;
  position?: number;
  code?: string;
}

export function describeJsonataError(error: unknown): string {
  const { message, position } = (error ?? {}) as JsonataErrorLike;
  const text = message ?? String(error);
  return position === undefined ? text : `${text} (at position ${position})`;
}

/** jsonata takes its timeout when compiling, so a compiled expression is kept per timeout. */
function compile(expression: string, timeoutMs: number): jsonata.Expression {
  const key = `${timeoutMs}:${expression}`;
  let found = compiled.get(key);
  if (!found) {
    found = jsonata(expression, { timeout: timeoutMs });
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, found);
  }
  return found;
}

/** `resultJson` is '' when the expression matches nothing. */
export async function evaluateExpressionJob(job: ExpressionJob): Promise<SandboxOutcome> {
  let result: unknown;
  try {
    result = await compile(job.expression, job.timeoutMs).evaluate(job.data);
  } catch (error) {
    const { code } = (error ?? {}) as JsonataErrorLike;
    if (code === 'D1012') return timeout(job);
    return { ok: false, type: 'expression_error', message: `expression failed: ${describeJsonataError(error)}` };
  }
  return toJson(result, job);
}

function timeout(job: ExpressionJob): SandboxOutcome {
  return { ok: false, type: 'expression_timeout', message: `the expression ran longer than ${job.timeoutMs} ms` };
}

function toJson(result: unknown, job: ExpressionJob): SandboxOutcome {
  if (result === undefined) return { ok: true, resultJson: '' };
  if (isFunction(result)) {
    return { ok: false, type: 'expression_error', message: 'expression evaluated to a function, not a value' };
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(result);
  } catch (error) {
    // V8 cannot build a string that long: far past any value limit.
    if (error instanceof RangeError) return tooLarge(Infinity, job);
    return { ok: false, type: 'expression_error', message: 'expression result is not JSON' };
  }
  if (json === undefined) return { ok: true, resultJson: '' };
  const bytes = Buffer.byteLength(json);
  if (bytes > job.maxValueBytes) return tooLarge(bytes, job);
  return { ok: true, resultJson: json };
}

function tooLarge(bytes: number, job: ExpressionJob): SandboxOutcome {
  const size = Number.isFinite(bytes) ? `${bytes} bytes` : 'too large to measure';
  return {
    ok: false,
    type: 'value_too_large',
    message: `the expression result is ${size} of JSON, more than the limit of ${job.maxValueBytes} bytes (MAX_VALUE_BYTES)`,
  };
}

function isFunction(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (typeof value !== 'object' || value === null) return false;
  const marked = value as { _jsonata_lambda?: boolean; _jsonata_function?: boolean };
  return Boolean(marked._jsonata_lambda || marked._jsonata_function);
}
