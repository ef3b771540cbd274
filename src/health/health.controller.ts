import { Controller, Get } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  type SchemaObject,
} from '@nestjs/swagger';
import { NoApiKey } from '../auth/auth.decorator.js';
import { API_TAGS } from '../openapi/api-tags.js';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from './database.health.js';

/** Terminus' answer: `status` and each check under `info` (up) or `error` (down), all in `details`. */
const HEALTH_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded', 'error', 'shutting_down'] },
    info: { type: 'object', nullable: true, additionalProperties: true },
    error: { type: 'object', nullable: true, additionalProperties: true },
    details: { type: 'object', additionalProperties: true },
  },
};

@ApiTags(API_TAGS.operations.name)
@NoApiKey()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
  ) {}

  /** The process is up. */
  @Get('live')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ operationId: 'getLiveness', summary: 'Liveness probe', security: [] })
  @ApiOkResponse({ description: 'Up.', schema: HEALTH_SCHEMA })
  @ApiServiceUnavailableResponse({ description: 'Shutting down.', schema: HEALTH_SCHEMA })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** The process can serve requests: its database answers. */
  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ operationId: 'getReadiness', summary: 'Readiness probe', security: [] })
  @ApiOkResponse({ description: 'Ready: the database answers.', schema: HEALTH_SCHEMA })
  @ApiServiceUnavailableResponse({
    description: 'Not ready (`error.database`), or shutting down.',
    schema: HEALTH_SCHEMA,
  })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.database.check('database')]);
  }
}
