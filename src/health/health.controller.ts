import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { API_TAGS } from '../openapi/api-tags.js';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from './database.health.js';

@ApiTags(API_TAGS.operations.name)
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
  ) {}

  /** The process is up. */
  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness probe', security: [] })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** The process can serve requests: its database answers. */
  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness probe', security: [] })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.database.check('database')]);
  }
}
