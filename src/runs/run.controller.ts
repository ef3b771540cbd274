import { Controller, Get, Headers, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ActingGroup, Auth } from '../auth/auth.decorator.js';
import { IdParam } from '../common/id-param.js';
import { StreamSlots } from '../common/stream-slots.js';
import { NodeRunResponse, RunResponse, toRunResponse } from './dto/run.dto.js';
import { RunEventStream } from './run-event-stream.js';
import { RunsService } from './runs.service.js';

@ApiTags('runs')
@Auth()
@Controller('v1/runs/:run_id')
export class RunController {
  constructor(
    private readonly runs: RunsService,
    private readonly events: RunEventStream,
    private readonly slots: StreamSlots,
  ) {}

  @Get()
  @ApiOkResponse({ type: RunResponse })
  async get(@ActingGroup() groupId: string, @IdParam('run_id', 'Run') runId: string): Promise<RunResponse> {
    return toRunResponse(await this.runs.get(groupId, runId));
  }

  /** Every node run: status, inputs, outputs, error, timings, attempt. */
  @Get('nodes')
  @ApiOkResponse({ type: [NodeRunResponse] })
  async nodes(
    @ActingGroup() groupId: string,
    @IdParam('run_id', 'Run') runId: string,
  ): Promise<{ items: NodeRunResponse[] }> {
    return { items: await this.runs.nodeRuns(groupId, runId) };
  }

  /**
   * Stops the run on whichever instance executes it (in-flight nodes are aborted) and answers
   * with the stopped run; 409 if it had already finished.
   */
  @Post('stop')
  @HttpCode(200)
  @ApiOkResponse({ type: RunResponse, description: 'The run, stopped.' })
  @ApiAcceptedResponse({ type: RunResponse, description: 'Stop requested; the run has not confirmed within 10 s.' })
  @ApiConflictResponse({ description: 'The run had already finished.' })
  async stop(
    @ActingGroup() groupId: string,
    @IdParam('run_id', 'Run') runId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RunResponse> {
    const { run, finished } = await this.runs.stop(groupId, runId);
    if (!finished) response.status(202);
    return toRunResponse(run);
  }

  /**
   * Server-Sent Events: `run.queued`, `run.started`, `node.started`, `node.completed`, `node.failed`,
   * `node.skipped`, `node.delta`, `run.completed|failed|stopped`. Send `Last-Event-ID` to resume;
   * the stream ends after the run's final event; a comment line every 15 s keeps it open. At most
   * MAX_STREAMS_PER_KEY streams per API key are open at once (429 beyond).
   */
  @Get('events')
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'An event stream (text/event-stream).' })
  @ApiTooManyRequestsResponse({ description: 'This API key has MAX_STREAMS_PER_KEY streams open.' })
  async stream(
    @ActingGroup() groupId: string,
    @IdParam('run_id', 'Run') runId: string,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const gone = this.slots.take(request, response);
    await this.runs.get(groupId, runId);
    await this.events.stream(groupId, runId, lastEventId, gone, response);
  }
}
