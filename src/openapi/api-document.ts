import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ProblemResponse } from '../common/problem-response.dto.js';
import { API_KEY_SCHEME, API_TAGS } from './api-tags.js';
import { documentProblems } from './problem-responses.js';
import { documentRequiredRoles } from './required-roles.js';

/** The OpenAPI document served at /docs-json (and behind Swagger UI at /docs). */
export function createApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Runloom')
    .setDescription(
      'Store, version and run workflows (DAGs of typed nodes) over a REST API. Errors are ' +
        '`application/problem+json` (RFC 9457, the `Problem` schema) on every 4xx and 5xx answer.',
    )
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer('/', 'This Runloom server')
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key: `rl_` and 32 or more characters.' },
      API_KEY_SCHEME,
    );
  for (const tag of Object.values(API_TAGS)) builder.addTag(tag.name, tag.description);
  const document = SwaggerModule.createDocument(app, builder.build(), {
    extraModels: [ProblemResponse],
    // Tags come from API_TAGS only, never from controller names.
    autoTagControllers: false,
  });
  documentProblems(document);
  documentRequiredRoles(document);
  assertReadableOperationIds(document);
  return document;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

/**
 * Generated clients name their methods after operationIds, so each route names its own
 * (`runSync`, `listRuns`), never Nest's default `<Controller>_<method>`.
 */
function assertReadableOperationIds(document: OpenAPIObject): void {
  const seen = new Set<string>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const id = operation.operationId ?? '';
      if (!/^[a-z][A-Za-z]+$/.test(id) || seen.has(id)) {
        throw new Error(`${method.toUpperCase()} ${path} needs its own camelCase operationId (has "${id}")`);
      }
      seen.add(id);
    }
  }
}
