/** JSONata compile and evaluate, shared by ConditionNode and TransformNode. */
import jsonata from 'jsonata';
import { describeJsonataError } from './code-sandbox/jsonata-evaluation.js';
import { userCodeLimits, userCodeSandbox } from './node-services.js';
import { type ConfigProblem, type NodeContext, NodeFailure } from './node-type.js';

/** An expression's time limit when its node's config sets none. */
export const DEFAULT_EXPRESSION_TIMEOUT_MS = 2000;

/** A problem when `expression` does not parse. */
export function checkExpression(expression: string, path = 'expression'): ConfigProblem[] {
  try {
    jsonata(expression);
    return [];
  } catch (error) {
    return [{ path, message: `invalid JSONata: ${describeJsonataError(error)}` }];
  }
}

/**
 * Evaluates `expression` against `data` in a sandbox worker (a runaway expression — a
 * catastrophic regex included — never blocks the event loop) and returns the result as plain JSON
 * (jsonata's sequences become arrays); `undefined` when the expression matches nothing. Fails with
 * `expression_timeout`, `expression_error` or `value_too_large`.
 */
export async function evaluateExpression(
  expression: string,
  data: unknown,
  ctx: Pick<NodeContext<unknown>, 'signal' | 'groupId' | 'services'>,
  timeoutMs = DEFAULT_EXPRESSION_TIMEOUT_MS,
): Promise<unknown> {
  const limits = userCodeLimits(ctx.services);
  const outcome = await userCodeSandbox(ctx.services).run(
    {
      kind: 'jsonata',
      expression,
      data,
      timeoutMs: Math.min(timeoutMs, limits.maxTimeoutMs),
      maxValueBytes: limits.maxValueBytes,
    },
    ctx.signal,
    ctx.groupId,
  );
  if (!outcome.ok) throw new NodeFailure(outcome.message, outcome.type);
  return outcome.resultJson === '' ? undefined : (JSON.parse(outcome.resultJson) as unknown);
}
