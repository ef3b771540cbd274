import type { OpenAPIObject, OperationObject, PathItemObject, ResponseObject } from '@nestjs/swagger';
import validatorModule from 'openapi-response-validator';
import type { OpenAPIResponseValidatorArgs } from 'openapi-response-validator';

type Validator = InstanceType<typeof validatorModule.default>;
import { isUuid } from '../../src/common/uuid.js';

/**
 * Checks answers of the e2e suite against the OpenAPI document the app serves: the operation and
 * status must be documented, the media type must be one documented for that status, and a JSON
 * body must match its schema (openapi-response-validator). Validators are compiled once per test
 * file, on first use of each operation.
 */

// A CommonJS module: from ES modules its default export sits on `.default`.
const OpenAPIResponseValidator = validatorModule.default;

export interface ObservedResponse {
  method: string;
  /** Path and query, as sent. */
  url: string;
  status: number;
  contentType: string | undefined;
  /** The parsed JSON body, or the text of any other body. */
  body: unknown;
}

interface Route {
  pattern: RegExp;
  path: string;
  item: PathItemObject;
}

const FORMATS = {
  uuid: (value: string) => isUuid(value),
  'date-time': (value: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value),
  uri: (value: string) => URL.canParse(value),
};

let document: OpenAPIObject | undefined;
let routes: Route[] = [];
const validators = new Map<OperationObject, Validator>();

/** Uses this document from now on (the first app of a test file that serves one provides it). */
export function useContract(served: OpenAPIObject): void {
  if (document) return;
  document = served;
  routes = Object.entries(served.paths)
    .map(([path, item]) => ({
      path,
      item,
      pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    }))
    // Literal segments win over parameters, as in the router: /runs/sync before /runs/{run_id}.
    .sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0));
}

export function hasContract(): boolean {
  return document !== undefined;
}

/** Every way the response departs from the document; empty when it conforms. */
export function contractViolations(response: ObservedResponse): string[] {
  if (!document) return [];
  const method = response.method.toLowerCase() as keyof PathItemObject;
  const path = new URL(response.url, 'http://localhost').pathname;
  const where = `${response.method} ${path} → ${response.status}`;
  const route = routes.find((candidate) => candidate.pattern.test(path) && candidate.item[method]);
  if (!route) {
    // Unknown routes, undecodable paths and preflights are no operations; any other /v1 answer must be one.
    const undocumented = path.startsWith('/v1/') && method !== 'options' && ![400, 404].includes(response.status);
    return undocumented ? [`${where}: the operation is not in the OpenAPI document`] : [];
  }
  const operation = route.item[method] as OperationObject;
  const documented = (operation.responses[String(response.status)] ?? operation.responses.default) as
    ResponseObject | undefined;
  if (!documented) return [`${where}: status not documented for ${route.path}`];
  const mediaType = response.contentType?.split(';')[0].trim();
  const content = documented.content ?? {};
  if (!mediaType) {
    return Object.keys(content).length && response.status !== 204 ? [`${where}: no Content-Type`] : [];
  }
  if (!(mediaType in content)) {
    return [`${where}: ${mediaType} is not documented (${Object.keys(content).join(', ') || 'no body'})`];
  }
  // JSON lines (application/x-ndjson) are many documents, not one: only their media type is checked.
  if (!mediaType.endsWith('json') || mediaType.endsWith('ndjson')) return [];
  const failure = validatorFor(operation).validateResponse(String(response.status), response.body);
  return failure ? [`${where}: ${JSON.stringify(failure.errors)}`] : [];
}

export function assertConforms(response: ObservedResponse): void {
  const violations = contractViolations(response);
  if (violations.length) throw new Error(`The answer breaks the OpenAPI contract:\n${violations.join('\n')}`);
}

function validatorFor(operation: OperationObject): Validator {
  let validator = validators.get(operation);
  if (!validator) {
    // The validator rewrites the schemas it compiles, so it gets its own copy.
    const copy = structuredClone({ responses: operation.responses, components: document!.components });
    validator = new OpenAPIResponseValidator({
      ...(copy as unknown as Pick<OpenAPIResponseValidatorArgs, 'responses' | 'components'>),
      customFormats: FORMATS,
    });
    validators.set(operation, validator);
  }
  return validator;
}
