import type { GroupLimit } from '../config/group-limits.js';

/**
 * Errors that reach API users as RFC 9457 `application/problem+json`. Services throw these (or
 * the named subclasses below); the ProblemFilter is the only place that formats a response.
 */
export interface FieldProblem {
  field: string;
  message: string;
}

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    readonly detail?: string,
    /** Extra members of the problem document (e.g. `errors`, `run_id`). */
    readonly extensions: Record<string, unknown> = {},
    /** Response headers to set, e.g. `Retry-After`. */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
    this.name = 'Problem';
  }
}

export class ValidationProblem extends Problem {
  constructor(errors: FieldProblem[], detail = 'The request is not valid; see errors.') {
    super(422, 'validation-error', 'Unprocessable Content', detail, { errors });
  }
}

export class NotFoundProblem extends Problem {
  constructor(resource: string, id?: string) {
    super(404, 'not-found', 'Not Found', id ? `${resource} ${id} was not found.` : `${resource} was not found.`);
  }
}

export class UnauthorizedProblem extends Problem {
  constructor(detail: string) {
    super(401, 'unauthorized', 'Unauthorized', detail);
  }
}

export class ForbiddenProblem extends Problem {
  constructor(detail: string) {
    super(403, 'forbidden', 'Forbidden', detail);
  }
}

export class ConflictProblem extends Problem {
  constructor(detail: string, extensions: Record<string, unknown> = {}) {
    super(409, 'conflict', 'Conflict', detail, extensions);
  }
}

const TITLES: Record<number, string> = { 409: 'Conflict', 429: 'Too Many Requests' };

/**
 * A per-group limit refused the request. The type names the limit
 * (`…/problems/limit-exceeded/max_active_runs`), and so do the members `limit`, `value` (the group's
 * limit) and `current` (what it holds now); `Retry-After` says when to try again, where waiting helps.
 */
export class LimitExceededProblem extends Problem {
  constructor(limit: GroupLimit, value: number, current: number) {
    const { status, retryAfterS, advice } = limit.refusal;
    super(
      status,
      `limit-exceeded/${limit.name}`,
      TITLES[status] ?? 'Limit Exceeded',
      `The group is at its ${limit.name} limit (${value}; it holds ${current}). ${advice}`,
      { limit: limit.name, value, current },
      retryAfterS === undefined ? {} : { 'Retry-After': String(retryAfterS) },
    );
  }
}

/** How long clients are asked to wait while the database is unreachable. */
const DATABASE_RETRY_AFTER_S = '2';

/** The database is unreachable or refuses connections (restart, failover, `too many clients`). */
export class DatabaseUnavailableProblem extends Problem {
  constructor(
    detail = 'The database is unreachable right now; retry shortly (with the same Idempotency-Key, for run creation).',
  ) {
    super(503, 'database-unavailable', 'Service Unavailable', detail, {}, { 'Retry-After': DATABASE_RETRY_AFTER_S });
  }
}

/**
 * The run exists but this request could not see it through (the database went away while it ran
 * here). The run is not lost: it resumes on another instance, and `run_id` and Location find it.
 */
export class RunOutcomeUnknownProblem extends Problem {
  constructor(runId: string, location: string) {
    super(
      503,
      'run-outcome-unknown',
      'Service Unavailable',
      `Run ${runId} was created, but this instance lost the database while waiting for it. The run goes on; poll Location, or repeat the request with the same Idempotency-Key to wait for it again.`,
      { run_id: runId },
      { Location: location, 'Retry-After': DATABASE_RETRY_AFTER_S },
    );
  }
}
