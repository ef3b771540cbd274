import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { AuditActor } from '../common/audit-events.js';
import { ActingGroup, Actor, Auth } from '../auth/auth.decorator.js';
import { API_TAGS } from '../openapi/api-tags.js';
import { RunSearchQuery, RunSearchResponse, StopRunsBody, StopRunsResponse } from './dto/run-search.dto.js';
import { MAX_METADATA_KEYS, MAX_METADATA_VALUE_LENGTH } from './run-metadata.js';
import { RunSearchService } from './run-search.service.js';
import { RUN_STOP_EXAMPLES } from '../openapi/request-examples.js';

/** The collection of a group's runs, across its workflows: `/v1/runs`. */
@Controller('v1/runs')
export class RunsController {
  constructor(private readonly runs: RunSearchService) {}

  /**
   * The acting group's runs of every workflow, newest first (created_at, then id, descending),
   * filtered by any of the parameters (all must match). Pages are a keyset: follow `next_cursor`
   * until it is null; runs created meanwhile never shift a later page (they come before the first).
   */
  @Auth({ role: 'viewer' })
  @Get()
  @ApiTags(API_TAGS.runs.name)
  @ApiOperation({ operationId: 'listRuns', summary: 'Search runs across workflows' })
  @ApiQuery({
    name: 'metadata',
    required: false,
    style: 'deepObject',
    explode: true,
    schema: { type: 'object', additionalProperties: { type: 'string', maxLength: MAX_METADATA_VALUE_LENGTH } },
    description:
      'Runs whose metadata has each of these key/value pairs: `metadata.<key>=<value>`, one parameter per key ' +
      `(at most ${MAX_METADATA_KEYS}). The deepObject form \`metadata[<key>]=<value>\` that generated clients send ` +
      'is accepted too.',
    example: { customer: 'acme' },
  })
  @ApiOkResponse({ type: RunSearchResponse, description: 'A page of runs, newest first.' })
  find(@ActingGroup() groupId: string, @Query() query: RunSearchQuery): Promise<RunSearchResponse> {
    return this.runs.find(groupId, query);
  }

  /**
   * Stops every live run (queued, running, waiting) of the acting group that matches the filters,
   * with the runs below it, and answers how many it asked to stop without waiting for them: each
   * reaches `stopped` within seconds wherever it executes (follow them with
   * `GET /v1/runs?status=queued,running,waiting&…`). Runs already stopping are not asked again,
   * so repeating the call answers `stopped: 0`.
   */
  @Auth({ role: 'runner' })
  @Post('stop')
  @HttpCode(200)
  @ApiTags(API_TAGS.runs.name)
  @ApiOperation({ operationId: 'stopRuns', summary: 'Stop the runs that match filters' })
  @ApiBody({ type: StopRunsBody, examples: RUN_STOP_EXAMPLES })
  @ApiOkResponse({ type: StopRunsResponse, description: 'How many runs were asked to stop.' })
  async stop(
    @ActingGroup() groupId: string,
    @Actor() actor: AuditActor,
    @Body() body: StopRunsBody,
  ): Promise<StopRunsResponse> {
    return { stopped: await this.runs.stop(groupId, body, actor) };
  }
}
