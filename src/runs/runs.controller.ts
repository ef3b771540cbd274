import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiExtraModels,
  ApiFailedDependencyResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ActingGroup, Auth } from '../auth/auth.decorator.js';
import { IdParam } from '../common/id-param.js';
import { Page, PageOf } from '../common/pagination.js';
import { Problem } from '../common/problem.js';
import { CreateRunBody, RunQuery } from './dto/create-run.dto.js';
import { RunListQuery, RunResponse, toRunResponse } from './dto/run.dto.js';
import { checkIdempotencyKey } from './idempotency.js';
import { API_TAGS } from '../openapi/api-tags.js';
import { RunCreation } from './run-creation.docs.js';
import { RUN_FINISHED_CALLBACK } from '../webhooks/dto/callback.dto.js';
import { RunsService, type RunRequest } from './runs.service.js';
import { runLocation } from './run-location.js';

/** What both run-creating endpoints hand the service, from their identical parameters. */
function runRequest(
  groupId: string,
  workflowId: string,
  query: RunQuery,
  body: CreateRunBody,
  headers: { idempotencyKey?: string; traceparent?: string },
): RunRequest {
  return {
    groupId,
    workflowId,
    body,
    useOutputIds: query.use_output_ids,
    idempotencyKey: checkIdempotencyKey(headers.idempotencyKey),
    traceparent: headers.traceparent,
  };
}

const LOCATION_HEADER = {
  Location: { description: 'The run: `/v1/workflows/{workflow_id}/runs/{run_id}`.', schema: { type: 'string' } },
};

@ApiTags(API_TAGS.runs.name)
@Auth()
@Controller('v1/workflows/:workflow_id/runs')
export class WorkflowRunsController {
  constructor(private readonly runs: RunsService) {}

  /**
   * Runs the workflow and waits for it (up to SYNC_RUN_TIMEOUT_MS, at most 120 s). Completed → 200;
   * failed or stopped → 200 with the run (424 with `output_only`); still running → 202 + Location.
   */
  @Post('sync')
  @HttpCode(200)
  @RunCreation()
  @ApiOperation({ summary: 'Run a workflow and wait for it', callbacks: RUN_FINISHED_CALLBACK })
  @ApiExtraModels(RunResponse)
  @ApiOkResponse({
    description: 'The finished run; with `output_only=true`, only its output map (keyed by label, or id).',
    schema: {
      anyOf: [
        { $ref: getSchemaPath(RunResponse) },
        { type: 'object', additionalProperties: true, description: 'output_only=true: the output map.' },
      ],
    },
  })
  @ApiAcceptedResponse({
    type: RunResponse,
    description: 'Still running after the wait limit; poll Location.',
    headers: LOCATION_HEADER,
  })
  @ApiFailedDependencyResponse({
    description: '`output_only=true` and the run failed or was stopped: `run_id`, `run_status`, `error`.',
  })
  @ApiUnprocessableEntityResponse({ description: 'Invalid body, input, node_ids or single_node_id.' })
  async runSync(
    @ActingGroup() groupId: string,
    @IdParam('workflow_id', 'Workflow') workflowId: string,
    @Query() query: RunQuery,
    @Body() body: CreateRunBody,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('traceparent') traceparent: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RunResponse | Record<string, unknown>> {
    const { run, finished } = await this.runs.runSync(
      runRequest(groupId, workflowId, query, body, { idempotencyKey, traceparent }),
    );
    const result = toRunResponse(run);
    if (!finished) {
      response.status(202).setHeader('Location', runLocation(run));
      return result;
    }
    if (!query.output_only) return result;
    if (result.status === 'completed') return result.output ?? {};
    throw new Problem(
      424,
      'run-not-completed',
      'Failed Dependency',
      result.error ? `The run ${result.status}: ${result.error.message}` : `The run ${result.status}.`,
      { run_id: result.id, run_status: result.status, error: result.error },
    );
  }

  /** Queues a run for a worker and answers at once; follow it with GET, its events, or a callback. */
  @Post()
  @HttpCode(202)
  @RunCreation()
  @ApiOperation({ summary: 'Queue a run', callbacks: RUN_FINISHED_CALLBACK })
  @ApiAcceptedResponse({
    type: RunResponse,
    description: 'The queued run; Location points at it.',
    headers: LOCATION_HEADER,
  })
  @ApiUnprocessableEntityResponse({ description: 'Invalid body, input, node_ids or single_node_id.' })
  async runAsync(
    @ActingGroup() groupId: string,
    @IdParam('workflow_id', 'Workflow') workflowId: string,
    @Query() query: RunQuery,
    @Body() body: CreateRunBody,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('traceparent') traceparent: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RunResponse> {
    const run = await this.runs.runAsync(runRequest(groupId, workflowId, query, body, { idempotencyKey, traceparent }));
    response.setHeader('Location', runLocation(run));
    return toRunResponse(run);
  }

  /** Runs of the workflow, newest first, optionally filtered by status. */
  @Get()
  @ApiOperation({ summary: "List a workflow's runs" })
  @ApiOkResponse({ type: PageOf(RunResponse) })
  async list(
    @ActingGroup() groupId: string,
    @IdParam('workflow_id', 'Workflow') workflowId: string,
    @Query() query: RunListQuery,
  ): Promise<Page<RunResponse>> {
    const page = await this.runs.list(groupId, workflowId, query);
    return { ...page, items: page.items.map(toRunResponse) };
  }

  @Get(':run_id')
  @ApiOperation({ summary: "Get a workflow's run" })
  @ApiOkResponse({ type: RunResponse })
  async get(
    @ActingGroup() groupId: string,
    @IdParam('workflow_id', 'Workflow') workflowId: string,
    @IdParam('run_id', 'Run') runId: string,
  ): Promise<RunResponse> {
    return toRunResponse(await this.runs.get(groupId, runId, workflowId));
  }
}
