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
