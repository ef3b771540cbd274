import { Body, Controller, Delete, Get, Headers, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuditActor } from '../common/audit-events.js';
import { ActingGroup, Actor, Auth } from '../auth/auth.decorator.js';
import { IdParam } from '../common/id-param.js';
import { ItemsOf } from '../common/pagination.js';
import { EVENT_STREAM_RESPONSE, LAST_EVENT_ID_HEADER } from '../run-events/event-stream.docs.js';
import { API_TAGS } from '../openapi/api-tags.js';
import { StreamSlots } from '../common/stream-slots.js';
import { NodeRunResponse, RunResponse, toRunResponse } from './dto/run.dto.js';
import { RunEventStream } from '../run-events/run-event-stream.js';
import { RunsService, type SyncOutcome } from './runs.service.js';
import { DerivedRunQuery, ReplayRunBody, RetryRunBody } from './dto/derived-run.dto.js';
import { checkIdempotencyKey } from './idempotency.js';
import { runLocation } from './run-location.js';
import { DerivedRunCreation } from './run-creation.docs.js';
import { DERIVED_RUN_EXAMPLES } from '../openapi/request-examples.js';
import { RunRetries, type DerivedRunRequest } from './run-retries.js';

@Controller('v1/runs/:run_id')
export class RunController {
  constructor(
    private readonly runs: RunsService,
    private readonly events: RunEventStream,
    private readonly slots: StreamSlots,
    private readonly retries: RunRetries,
  ) {}

  @Auth({ role: 'viewer' })
  @Get()
  @ApiTags(API_TAGS.runs.name)
  @ApiOperation({ operationId: 'getRun', summary: 'Get a run' })
  @ApiOkResponse({ type: RunResponse })
  async get(@ActingGroup() groupId: string, @IdParam('run_id', 'Run') runId: string): Promise<RunResponse> {
    return toRunResponse(await this.runs.get(groupId, runId));
  }

  /** Deletes a finished run with its node runs, events and callback attempts. */
  @Auth({ role: 'editor' })
  @Delete()
  @HttpCode(204)
  @ApiTags(API_TAGS.runs.name)
  @ApiOperation({ operationId: 'deleteRun', summary: 'Delete a finished run' })
  @ApiNoContentResponse({ description: 'The run and everything recorded about it are gone.' })
  @ApiNotFoundResponse({ description: 'No such run in the group.' })
  @ApiConflictResponse({ description: 'The run has not finished; stop it first.' })
  delete(
    @ActingGroup() groupId: string,
    @Actor() actor: AuditActor,
    @IdParam('run_id', 'Run') runId: string,
  ): Promise<void> {
    return this.runs.delete(groupId, runId, actor);
  }

  /** Every node run: status, inputs, outputs, error, timings, attempt, and each of its `attempts` (retries). */
  @Auth({ role: 'viewer' })
  @Get('nodes')
  @ApiTags(API_TAGS.runs.name)
  @ApiOperation({ operationId: 'listNodeRuns', summary: "List a run's node runs" })
  @ApiOkResponse({ type: ItemsOf(NodeRunResponse) })
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
  @Auth({ role: 'runner' })
  @Post('stop')
  @HttpCode(200)
  @ApiTags(API_TAGS.runs.name)
  @ApiOperation({ operationId: 'stopRun', summary: 'Stop a run' })
  @ApiOkResponse({ type: RunResponse, description: 'The run, stopped.' })
  @ApiAcceptedResponse({ type: RunResponse, description: 'Stop requested; the run has not confirmed within 10 s.' })
  @ApiConflictResponse({ description: 'The run had already finished.' })
  async stop(
    @ActingGroup() groupId: string,
    @Actor() actor: AuditActor,
    @IdParam('run_id', 'Run') runId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RunResponse> {
    const { run, finished } = await this.runs.stop(groupId, runId, actor);
    if (!finished) response.status(202);
    return toRunResponse(run);
  }

  /**
   * A new run (`retry_of`) of a failed or stopped run that takes over the outputs of the nodes it
   * completed (status `reused`, `reused_from`) and executes the rest: the failed node and what
   * follows it. A node whose definition or input changed (with `definition: "current_draft"`, a
   * version, `input`) executes again with everything downstream, as do `from_node_ids`. Secrets are
   * read afresh; outbound Idempotency-Keys stay those of the source run's calls.
   */
  @Auth({ role: 'runner' })
  @Post('retry')
  @HttpCode(200)
  @DerivedRunCreation(RetryRunBody, DERIVED_RUN_EXAMPLES.retry)
  @ApiOperation({ operationId: 'retryRun', summary: 'Retry a run from where it failed' })
  @ApiConflictResponse({ description: 'The run is not failed or stopped (`run_status`); replay it instead.' })
  async retry(
    @ActingGroup() groupId: string,
    @IdParam('run_id', 'Run') runId: string,
    @Query() query: DerivedRunQuery,
    @Body() body: RetryRunBody,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('traceparent') traceparent: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RunResponse> {
    const request = derivedRequest(groupId, runId, query, idempotencyKey, traceparent);
    return answer(await this.retries.retry(request, body), response);
  }

  /** A new run (`replay_of`) of the same input, every node executed again: new work, with new outbound keys. */
  @Auth({ role: 'runner' })
  @Post('replay')
  @HttpCode(200)
  @DerivedRunCreation(ReplayRunBody, DERIVED_RUN_EXAMPLES.replay)
  @ApiOperation({ operationId: 'replayRun', summary: 'Run a run again' })
  async replay(
    @ActingGroup() groupId: string,
    @IdParam('run_id', 'Run') runId: string,
    @Query() query: DerivedRunQuery,
    @Body() body: ReplayRunBody,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('traceparent') traceparent: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RunResponse> {
    const request = derivedRequest(groupId, runId, query, idempotencyKey, traceparent);
    return answer(await this.retries.replay(request, body), response);
  }

  /**
   * Server-Sent Events: `run.queued`, `run.started`, `node.started`, `node.completed`, `node.failed`,
   * `node.skipped`, `node.delta`, `node.retrying` (`node_id`, `attempt`, `next_attempt`, `error`,
   * `delay_ms`), `node.waiting` (`node_id`, `waiting_until`, `signal`, `resume_url` for a signal),
   * `run.waiting` (`waits`), `run.completed|failed|stopped`. A parked run's stream stays open; when
   * it resumes, `run.started` and the node's `node.started` come again. A MapNode's finished items are `node.delta` events
   * (`item: {index, status, run_id}`, `done`, `total`). Send `Last-Event-ID` to resume;
   * the stream ends after the run's final event; a comment line every 15 s keeps it open.
   * Reconnecting with the final event's id answers 204, which tells an EventSource to stop. At most
   * MAX_STREAMS_PER_KEY streams per API key are open at once (429 beyond).
   */
  @Auth({ role: 'viewer' })
  @Get('events')
  @ApiTags(API_TAGS.events.name)
  @ApiOperation({ operationId: 'streamRunEvents', summary: "Stream a run's events" })
  @ApiHeader(LAST_EVENT_ID_HEADER)
  @ApiOkResponse(EVENT_STREAM_RESPONSE)
  @ApiNoContentResponse({
    description:
      'Reconnected with the id of the final event (or later): the stream is over. EventSource clients stop on 204.',
  })
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

function derivedRequest(
  groupId: string,
  sourceRunId: string,
  query: DerivedRunQuery,
  idempotencyKey: string | undefined,
  traceparent: string | undefined,
): DerivedRunRequest {
  return { groupId, sourceRunId, mode: query.mode, idempotencyKey: checkIdempotencyKey(idempotencyKey), traceparent };
}

/** 200 with the finished run (sync); 202 + Location for a queued run or one still going after the wait. */
function answer({ run, finished }: SyncOutcome, response: Response): RunResponse {
  if (!finished) response.status(202).setHeader('Location', runLocation(run));
  return toRunResponse(run);
}
