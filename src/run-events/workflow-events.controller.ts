import { Controller, Get, Headers, Req, Res } from '@nestjs/common';
import {
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ActingGroup, Auth } from '../auth/auth.decorator.js';
import { IdParam } from '../common/id-param.js';
import { NotFoundProblem } from '../common/problem.js';
import { StreamSlots } from '../common/stream-slots.js';
import { API_TAGS } from '../openapi/api-tags.js';
import { EVENT_STREAM_RESPONSE, LAST_EVENT_ID_HEADER } from './event-stream.docs.js';
import { RunEventsRepository } from './run-events.repository.js';
import { RunSetStream } from './run-set-stream.js';

@ApiTags(API_TAGS.events.name)
@Controller('v1/workflows/:workflow_id')
export class WorkflowEventsController {
  constructor(
    private readonly runSets: RunSetStream,
    private readonly events: RunEventsRepository,
    private readonly slots: StreamSlots,
  ) {}

  /**
   * Server-Sent Events of every run of this workflow (each event's `data` has its `run_id`), live
   * from now (`Last-Event-ID: 0` replays every stored event of its runs), within about a second of
   * being recorded. The stream stays open; a comment line every 15 s keeps it alive. At most
   * MAX_STREAMS_PER_KEY streams per API key are open at once (429 beyond).
   */
  @Auth({ role: 'viewer' })
  @Get('events')
  @ApiOperation({ operationId: 'streamWorkflowEvents', summary: "Stream the events of a workflow's runs" })
  @ApiHeader(LAST_EVENT_ID_HEADER)
  @ApiOkResponse(EVENT_STREAM_RESPONSE)
  @ApiNotFoundResponse({ description: 'No such workflow in the group.' })
  @ApiTooManyRequestsResponse({ description: 'This API key has MAX_STREAMS_PER_KEY streams open.' })
  async stream(
    @ActingGroup() groupId: string,
    @IdParam('workflow_id', 'Workflow') workflowId: string,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    if (!(await this.events.hasWorkflow(groupId, workflowId))) throw new NotFoundProblem('Workflow', workflowId);
    const gone = this.slots.take(request, response);
    await this.runSets.stream(groupId, { workflowId }, lastEventId, gone, response);
  }
}
