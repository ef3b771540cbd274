/**
 * Per-node error policies: `retry`, `timeout_ms` and `on_error`, set on a node next to its
 * `config`. The walker hands every node execution to `runWithPolicy`, which runs attempts until
 * one succeeds, the policy gives up, or the run stops.
 */
import { isoAt } from '../../common/iso-now.js';
import type { NodeDefinition } from '../definition.js';
import type { JsonSchema, WaitRequest } from '../node-type.js';
import type { RunError } from './run-result.js';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  max_attempts: number;
  initial_interval_ms: number;
  backoff_coefficient: number;
  max_interval_ms: number;
  /** Only these error types are retried; absent means every type not in `non_retryable`. */
  retry_on?: string[];
  non_retryable?: string[];
}

export type OnError = 'fail' | 'continue' | 'default';

export interface NodePolicy {
  retry: RetryPolicy | null;
  timeout_ms: number | null;
  on_error: OnError;
  /** With `on_error: default`: the outputs the node emits instead of failing. */
  default_outputs: Record<string, unknown>;
}

/** The node keys that hold policies (next to `id`, `type` and `config`). */
export const POLICY_KEYS = ['retry', 'timeout_ms', 'on_error', 'default_outputs'] as const;
export type NodePolicyKeys = Pick<NodeDefinition, (typeof POLICY_KEYS)[number]>;

/** With `on_error: continue`, a failed node emits `{type, message}` on this output instead. */
export const ERROR_OUTPUT = 'error';
export const NODE_TIMEOUT_ERROR = 'node_timeout';
export const MAX_TIMEOUT_MS = 3_600_000;

export const RETRY_DEFAULTS = {
  max_attempts: 3,
  initial_interval_ms: 1000,
  backoff_coefficient: 2,
  max_interval_ms: 60_000,
} as const;

const errorTypes: JsonSchema = {
  type: 'array',
  items: { type: 'string', minLength: 1, maxLength: 100 },
  maxItems: 50,
};

/** JSON Schema of the policy keys of a node, for the validator and the docs. */
export const NODE_POLICY_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    retry: {
      type: 'object',
      description:
        'Runs the node again when it fails, waiting initial_interval_ms × backoff_coefficient^(n-1), at most max_interval_ms.',
      additionalProperties: false,
      properties: {
        max_attempts: { type: 'integer', minimum: 1, maximum: 20, default: RETRY_DEFAULTS.max_attempts },
        initial_interval_ms: {
          type: 'integer',
          minimum: 0,
          maximum: MAX_TIMEOUT_MS,
          default: RETRY_DEFAULTS.initial_interval_ms,
        },
        backoff_coefficient: { type: 'number', minimum: 1, maximum: 10, default: RETRY_DEFAULTS.backoff_coefficient },
        max_interval_ms: {
          type: 'integer',
          minimum: 0,
          maximum: MAX_TIMEOUT_MS,
          default: RETRY_DEFAULTS.max_interval_ms,
        },
        retry_on: { ...errorTypes, description: 'Retry only these error types.' },
        non_retryable: { ...errorTypes, description: 'Never retry these error types.' },
      },
    },
    timeout_ms: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_TIMEOUT_MS,
      description: `Each attempt fails with type ${NODE_TIMEOUT_ERROR} after this long.`,
    },
    on_error: {
      enum: ['fail', 'continue', 'default'],
      default: 'fail',
      description:
        'fail: the run fails. continue: the node emits {type, message} on its "error" output and nothing on the others. ' +
        'default: the node emits default_outputs.',
    },
    default_outputs: {
      type: 'object',
      description: 'With on_error "default": a value per output connector, emitted when the node fails.',
    },
  },
};

/** The policy of a node from a saved (validated) definition. */
export function nodePolicy(node: NodePolicyKeys): NodePolicy {
  return {
    retry: node.retry ? { ...RETRY_DEFAULTS, ...(node.retry as Partial<RetryPolicy>) } : null,
    timeout_ms: node.timeout_ms ?? null,
    on_error: (node.on_error as OnError | undefined) ?? 'fail',
    default_outputs: node.default_outputs ?? {},
  };
}

/** One execution of a node, as `/v1/runs/{id}/nodes` shows it. */
export interface NodeAttempt {
  attempt: number;
  started_at: string;
  finished_at: string;
  duration_ms: number;
  /** Null for the attempt that succeeded. */
  error: { type: string; message: string } | null;
}

export type Outcome =
  | { kind: 'completed'; outputs: Record<string, unknown> }
  | { kind: 'failed'; error: RunError }
  | { kind: 'stopped' }
  /** The node parked the run (a durable wait): the attempt goes on when the run resumes it. */
  | { kind: 'waiting'; wait: WaitRequest };

/** Where an attempt's AbortSignal comes from: the run's (RunAbort, made when asked for) or a timeout's. */
export interface SignalSource {
  readonly signal: AbortSignal;
}

export interface PolicyRun {
  policy: NodePolicy;
  nodeId: string;
  /** The run's abort: once aborted, no attempt starts and no wait goes on. */
  abort: SignalSource & { readonly aborted: boolean };
  /** Attempts an earlier run attempt finished (resuming after a crash). */
  prior: readonly NodeAttempt[];
  /**
   * One attempt; `source.signal` is aborted when the run stops or the attempt times out. A
   * synchronous attempt answers its outcome directly.
   */
  attemptOnce(attempt: number, source: SignalSource): Outcome | Promise<Outcome>;
  /** Called (and awaited) before waiting for the next attempt: the place to persist the failure. */
  onRetrying(failed: NodeAttempt, delayMs: number, attempts: NodeAttempt[]): Promise<void>;
}

export interface PolicyResult {
  outcome: Outcome;
  attempts: NodeAttempt[];
}

export function retryDelayMs(retry: RetryPolicy, failedAttempt: number): number {
  const delay = retry.initial_interval_ms * retry.backoff_coefficient ** (failedAttempt - 1);
  return Math.round(Math.min(delay, retry.max_interval_ms));
}

export function isRetryable(retry: RetryPolicy, errorType: string): boolean {
  if (retry.non_retryable?.includes(errorType)) return false;
  return retry.retry_on === undefined || retry.retry_on.includes(errorType);
}

/**
 * Runs attempts under the policy, then applies `on_error` to a final failure. A node without retry
 * or timeout has one attempt: when that is synchronous, so is the result.
 */
export function runWithPolicy(run: PolicyRun): PolicyResult | Promise<PolicyResult> {
  if (run.policy.retry !== null || run.policy.timeout_ms !== null || run.prior.length > 0)
    return attemptsUnderPolicy(run);
  if (run.abort.aborted) return { outcome: { kind: 'stopped' }, attempts: [] };
  const startedAt = Date.now();
  const outcome = run.attemptOnce(1, run.abort);
  const settle = (settled: Outcome): PolicyResult => {
    if (settled.kind === 'stopped' || settled.kind === 'waiting') return { outcome: settled, attempts: [] };
    const attempts = [attemptRecord(1, startedAt, settled)];
    return { outcome: settled.kind === 'failed' ? applyOnError(run.policy, settled) : settled, attempts };
  };
  return outcome instanceof Promise ? outcome.then(settle) : settle(outcome);
}

async function attemptsUnderPolicy(run: PolicyRun): Promise<PolicyResult> {
  const attempts = [...run.prior];
  const maxAttempts = run.policy.retry?.max_attempts ?? 1;
  for (;;) {
    const number = attempts.length + 1;
    const previous = attempts.at(-1);
    if (previous && run.policy.retry) {
      const due = Date.parse(previous.finished_at) + retryDelayMs(run.policy.retry, previous.attempt);
      if (!(await sleepUntil(due, run.abort))) return { outcome: { kind: 'stopped' }, attempts };
    }
    if (run.abort.aborted) return { outcome: { kind: 'stopped' }, attempts };
    const startedAt = Date.now();
    const outcome = await attemptWithTimeout(run, number);
    if (outcome.kind === 'stopped' || outcome.kind === 'waiting') return { outcome, attempts };
    const record = attemptRecord(number, startedAt, outcome);
    attempts.push(record);
    if (outcome.kind === 'completed') return { outcome, attempts };
    const retry = run.policy.retry;
    const again = retry && number < maxAttempts && isRetryable(retry, outcome.error.type) && !run.abort.aborted;
    if (!again) return { outcome: applyOnError(run.policy, outcome), attempts };
    await run.onRetrying(record, retryDelayMs(retry, number), attempts);
  }
}

/** The attempt that started at `startedAt` (epoch ms) and ended now with `outcome`. */
function attemptRecord(
  number: number,
  startedAt: number,
  outcome: Extract<Outcome, { kind: 'completed' | 'failed' }>,
): NodeAttempt {
  const finishedAt = Date.now();
  return {
    attempt: number,
    started_at: isoAt(startedAt),
    finished_at: isoAt(finishedAt),
    duration_ms: finishedAt - startedAt,
    error: outcome.kind === 'failed' ? { type: outcome.error.type, message: outcome.error.message } : null,
  };
}

function applyOnError(policy: NodePolicy, failed: Extract<Outcome, { kind: 'failed' }>): Outcome {
  if (policy.on_error === 'continue') {
    return {
      kind: 'completed',
      outputs: { [ERROR_OUTPUT]: { type: failed.error.type, message: failed.error.message } },
    };
  }
  if (policy.on_error === 'default') return { kind: 'completed', outputs: { ...policy.default_outputs } };
  return failed;
}

async function attemptWithTimeout(run: PolicyRun, attempt: number): Promise<Outcome> {
  const timeoutMs = run.policy.timeout_ms;
  if (timeoutMs === null) return run.attemptOnce(attempt, run.abort);
  const controller = new AbortController();
  const runSignal = run.abort.signal;
  const abort = () => controller.abort(runSignal.reason);
  runSignal.addEventListener('abort', abort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => {
      const message = `node "${run.nodeId}" did not finish within ${timeoutMs} ms`;
      resolve({ kind: 'failed', error: { node_id: run.nodeId, message, type: NODE_TIMEOUT_ERROR } });
      controller.abort(new Error(message));
    }, timeoutMs);
  });
  try {
    return await Promise.race([run.attemptOnce(attempt, controller), timedOut]);
  } finally {
    clearTimeout(timer);
    runSignal.removeEventListener('abort', abort);
  }
}

/** Waits until `due` (epoch ms); false when the run was aborted first. */
function sleepUntil(due: number, abort: PolicyRun['abort']): Promise<boolean> {
  const delay = due - Date.now();
  if (abort.aborted) return Promise.resolve(false);
  if (delay <= 0) return Promise.resolve(true);
  const signal = abort.signal;
  return new Promise((resolve) => {
    const done = (value: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', aborted);
      resolve(value);
    };
    const aborted = () => done(false);
    const timer = setTimeout(() => done(true), delay);
    signal.addEventListener('abort', aborted, { once: true });
  });
}
