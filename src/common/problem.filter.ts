import { randomUUID } from 'node:crypto';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DatabaseAvailability } from '../database/database-availability.js';
import { isTransientDatabaseError } from '../database/transient-errors.js';
import { DatabaseUnavailableProblem, Problem, RunOutcomeUnknownProblem } from './problem.js';
import { loggedPath } from './logged-path.js';

const PROBLEM_TYPE_BASE = 'https://runloom.dev/problems/';

interface HttpErrorLike {
  type?: string;
}

/**
 * Turns every error into `application/problem+json`; nothing else formats errors. A 500 is a bug
 * and is logged with its stack; a refusal because the database is away is counted, and logged
 * once per outage, by DatabaseAvailability. Other 5xx (a failing readiness check, a server not
 * configured for the request) are answers the code chose, not errors to log.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  constructor(private readonly availability: DatabaseAvailability) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = this.toProblem(exception);
    const path = loggedPath(request.path);
    if (isDatabaseRefusal(problem)) this.availability.refused(`${request.method} ${path}`, exception);
    else if (problem.status === 500) this.logger.error({ err: exception, path, reqId: request.id }, 'unhandled error');
    if (response.headersSent) {
      response.end();
      return;
    }
    writeProblem(request, response, problem);
  }

  private toProblem(exception: unknown): Problem {
    if (exception instanceof Problem) return exception;
    if (exception instanceof HttpException) {
      return fromBodyParserError(exception.cause as HttpErrorLike | undefined) ?? fromHttpException(exception);
    }
    if (isTransientDatabaseError(exception)) return new DatabaseUnavailableProblem();
    const bodyError = fromBodyParserError(exception as HttpErrorLike);
    return (
      bodyError ?? new Problem(500, 'internal-error', 'Internal Server Error', 'Something went wrong on our side.')
    );
  }
}

/** Writes `problem` as the response; also used where an error cannot go through Nest (body-deadline.ts). */
export function writeProblem(request: Request, response: Response, problem: Problem): void {
  for (const [name, value] of Object.entries(problem.headers)) response.setHeader(name, value);
  // Errors before the request-log middleware (the key check, the body parser) find no id yet.
  const requestId = String(request.id ?? randomUUID());
  response.setHeader('X-Request-Id', requestId);
  response
    .status(problem.status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: PROBLEM_TYPE_BASE + problem.slug,
        title: problem.title,
        status: problem.status,
        ...(problem.detail === undefined ? {} : { detail: problem.detail }),
        instance: request.originalUrl,
        request_id: requestId,
        ...problem.extensions,
      }),
    );
}

function isDatabaseRefusal(problem: Problem): boolean {
  return problem instanceof DatabaseUnavailableProblem || problem instanceof RunOutcomeUnknownProblem;
}

function fromHttpException(exception: HttpException): Problem {
  const status = exception.getStatus();
  const body = exception.getResponse();
  const message = typeof body === 'object' && body && 'message' in body ? (body as { message: unknown }).message : body;
  const detail = Array.isArray(message) ? message.join('; ') : String(message);
  if (status === 404) return new Problem(404, 'not-found', 'Not Found', detail);
  return new Problem(status, `http-${status}`, exception.name.replace(/Exception$/, ''), detail);
}

/** Express's body parser reports malformed and oversized bodies as plain errors with a `type`. */
function fromBodyParserError(error: HttpErrorLike | undefined): Problem | undefined {
  switch (error?.type) {
    case 'entity.parse.failed':
      return new Problem(400, 'malformed-json', 'Bad Request', 'The request body is not valid JSON.');
    case 'entity.too.large':
      return new Problem(413, 'payload-too-large', 'Content Too Large', 'The request body is larger than allowed.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new Problem(
        415,
        'unsupported-encoding',
        'Unsupported Media Type',
        'The request body encoding is not supported.',
      );
    case 'request.aborted':
      return new Problem(400, 'request-aborted', 'Bad Request', 'The request was aborted by the client.');
    default:
      return undefined;
  }
}
