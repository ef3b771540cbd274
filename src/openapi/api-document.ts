import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ProblemResponse } from '../common/problem-response.dto.js';
import { API_KEY_SCHEME, API_TAGS } from './api-tags.js';
import { documentProblems } from './problem-responses.js';

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
  return document;
}
