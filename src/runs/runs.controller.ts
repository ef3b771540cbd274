import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiFailedDependencyResponse,
  ApiHeader,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ActingGroup, Auth, GroupIdInBody } from '../auth/auth.decorator.js';
import { IdParam } from '../common/id-param.js';
import { Page } from '../common/pagination.js';
import { Problem } from '../common/problem.js';
import { CreateRunBody, RunQuery } from './dto/create-run.dto.js';
import { RunListQuery, RunResponse, toRunResponse } from './dto/run.dto.js';
import { checkIdempotencyKey } from './idempotency.js';
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

@ApiTags('runs')
@Auth()
@Controller('v1/workflows/:workflow_id/runs')
export class WorkflowRunsController {
  constructor(private readonly runs: RunsService) {}

  /**
   * Runs the workflow and waits for it (up to SYNC_RUN_TIMEOUT_MS, at most 120 s). Completed → 200;
   * failed or stopped → 200 with the run (424 with `output_only`); still running → 202 + Location.
   */
  @Post('sync')
  @GroupIdInBody()
  @HttpCode(200)
  @ApiOkResponse({ type: RunResponse, description: 'The finished run, or only its output with output_only=true.' })
  @ApiAcceptedResponse({ type: RunResponse, description: 'Still running after the wait limit; poll Location.' })
  @ApiFailedDependencyResponse({ description: 'output_only=true and the run failed or was stopped.' })
  @ApiUnprocessableEntityResponse({ description: 'Invalid body, input, node_ids or single_node_id.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
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
  @GroupIdInBody()
  @HttpCode(202)
  @ApiAcceptedResponse({ type: RunResponse, description: 'The queued run; Location points at it.' })
  @ApiUnprocessableEntityResponse({ description: 'Invalid body, input, node_ids or single_node_id.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
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
  async list(
    @ActingGroup() groupId: string,
    @IdParam('workflow_id', 'Workflow') workflowId: string,
    @Query() query: RunListQuery,
  ): Promise<Page<RunResponse>> {
    const page = await this.runs.list(groupId, workflowId, query);
    return { ...page, items: page.items.map(toRunResponse) };
  }

  @Get(':run_id')
  @ApiOkResponse({ type: RunResponse })
  async get(
    @ActingGroup() groupId: string,
    @IdParam('workflow_id', 'Workflow') workflowId: string,
    @IdParam('run_id', 'Run') runId: string,
  ): Promise<RunResponse> {
    return toRunResponse(await this.runs.get(groupId, runId, workflowId));
  }
}
