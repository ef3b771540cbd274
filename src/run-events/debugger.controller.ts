import { Controller, Get, Headers, Param, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ActingGroup, Auth } from '../auth/auth.decorator.js';
import { EVENT_STREAM_RESPONSE, LAST_EVENT_ID_HEADER } from './event-stream.docs.js';
import { ValidationProblem } from '../common/problem.js';
import { API_TAGS } from '../openapi/api-tags.js';
import { StreamSlots } from '../common/stream-slots.js';
import { RunSetStream } from './run-set-stream.js';

const SESSION_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

@ApiTags(API_TAGS.events.name)
@Controller('v1/debugger/:session')
export class DebuggerController {
  constructor(
    private readonly runSets: RunSetStream,
    private readonly slots: StreamSlots,
  ) {}

  /**
   * Server-Sent Events for every run of this group started with `debugger: "<session>"`, live from
   * now (`Last-Event-ID: 0` replays the session from the start), node events with full inputs and
   * outputs. The stream stays open; a comment line every 15 s keeps it alive. At most
   * MAX_STREAMS_PER_KEY streams per API key are open at once (429 beyond).
   */
  @Auth({ role: 'viewer' })
  @Get('events')
  @ApiOperation({ operationId: 'streamDebuggerEvents', summary: "Stream a debugger session's events" })
  @ApiHeader(LAST_EVENT_ID_HEADER)
  @ApiOkResponse(EVENT_STREAM_RESPONSE)
  @ApiTooManyRequestsResponse({ description: 'This API key has MAX_STREAMS_PER_KEY streams open.' })
  async stream(
    @ActingGroup() groupId: string,
    @Param('session') session: string,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    if (!SESSION_PATTERN.test(session)) {
      throw new ValidationProblem([{ field: 'session', message: 'session must be 1-128 letters, digits, or . _ : -' }]);
    }
    const gone = this.slots.take(request, response);
    await this.runSets.stream(groupId, { debugger: session }, lastEventId, gone, response);
  }
}
