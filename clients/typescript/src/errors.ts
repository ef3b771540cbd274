import type { components } from './generated/openapi.js';

export type Problem = components['schemas']['Problem'];
export type FieldProblem = components['schemas']['FieldProblemResponse'];

/** An error answer from the API, with the fields of its `application/problem+json` body. */
export class RunloomError extends Error {
  override readonly name = 'RunloomError';
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  /** Per-field problems of a 422 (`field`, `message`). */
  readonly errors: FieldProblem[];
  readonly requestId: string | undefined;
  /** The `Retry-After` the server sent, in milliseconds, when it sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(
    readonly status: number,
    /** The whole problem document (extension members included), or a stand-in for a non-problem answer. */
    readonly problem: Problem,
    retryAfterMs?: number,
  ) {
    super(`${status} ${problem.title}${problem.detail ? `: ${problem.detail}` : ''}`);
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.errors = problem.errors ?? [];
    this.requestId = problem.request_id;
    this.retryAfterMs = retryAfterMs;
  }
}

/** No answer: the connection failed or broke (the `cause` says how). */
export class RunloomNetworkError extends Error {
  override readonly name = 'RunloomNetworkError';
}

/** `wait({ timeoutMs })` ran out before the run finished; the run goes on. */
export class RunloomTimeoutError extends Error {
  override readonly name = 'RunloomTimeoutError';

  constructor(readonly runId: string) {
    super(`run ${runId} did not finish in time`);
  }
}

/** A callback whose signature, timestamp or headers do not hold; never trust its body. */
export class CallbackVerificationError extends Error {
  override readonly name = 'CallbackVerificationError';
}
