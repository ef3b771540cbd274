import type { OpenAPIObject, OperationObject, ResponseObject } from '@nestjs/swagger';
import { PROBLEM_SCHEMA_NAME } from '../common/problem-response.dto.js';

const PROBLEM_CONTENT = {
  'application/problem+json': { schema: { $ref: `#/components/schemas/${PROBLEM_SCHEMA_NAME}` } },
};
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const GENERIC_PROBLEMS: Record<string, string> = {
  '400': 'The body is not valid JSON, or the path is not valid percent-encoding.',
  '401': 'Missing, unknown, revoked or expired API key.',
  '403': 'The key may not do this, or may not act in that group.',
  '404': 'No such resource in the group (an id that is not a UUID names none either), or no such `group_id`.',
  '413': 'The body is larger than MAX_BODY_SIZE.',
  '415': 'The body is not `application/json`.',
  '422': 'Invalid body, query parameter or header; `errors` lists every one.',
  '429': 'The key is over its rate limit; retry after `Retry-After` seconds.',
  '500': 'Something went wrong on our side; quote `request_id`.',
  '503':
    'The database is unreachable or out of connections (`database-unavailable`); on run creation, the run exists but ' +
    'its outcome could not be read (`run-outcome-unknown`, with `run_id` and `Location`). Retry after `Retry-After` seconds.',
};

/**
 * The statuses every operation of a kind can answer, whatever its own decorators say: a rule here
 * covers each new route, so the document cannot forget one (the e2e suite checks every answer).
 */
function genericProblems(method: string, operation: OperationObject): string[] {
  const parameters = (operation.parameters ?? []) as { in?: string; name?: string }[];
  const statuses = ['500'];
  // The key guard also reads `?group_id=` on every route: an unknown group is 404, a malformed one 422.
  if (operation.security?.some((requirement) => Object.keys(requirement).length > 0)) {
    statuses.push('401', '403', '404', '422', '429', '503');
  }
  if (parameters.some((p) => p.in === 'path')) statuses.push('400', '404');
  if (operation.requestBody || parameters.some((p) => p.in === 'query' || p.in === 'header')) statuses.push('422');
  if (['post', 'put', 'patch'].includes(method)) statuses.push('400', '413', '415');
  return [...new Set(statuses)];
}

/**
 * Gives every error answer the `Problem` schema as `application/problem+json`, with the
 * `X-Request-Id` header (and `Retry-After` on 429), and adds the statuses of `genericProblems`.
 * Error answers that document a body of their own (the health probes' 503) keep it.
 */
export function documentProblems(document: OpenAPIObject): void {
  for (const pathItem of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = pathItem[method];
      if (!operation) continue;
      for (const status of genericProblems(method, operation)) {
        operation.responses[status] ??= { description: GENERIC_PROBLEMS[status] };
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) >= 400) describeProblem(status, response as ResponseObject);
      }
    }
  }
}

function describeProblem(status: string, response: ResponseObject): void {
  const ownSchema = Object.values(response.content ?? {}).some((media) => media.schema);
  if (!ownSchema) response.content = PROBLEM_CONTENT;
  response.headers = {
    ...response.headers,
    'X-Request-Id': { description: 'The request id, also in the body as `request_id`.', schema: { type: 'string' } },
    ...(status === '429' || status === '503'
      ? { 'Retry-After': { description: 'Seconds to wait before sending again.', schema: { type: 'integer' } } }
      : {}),
  };
}
