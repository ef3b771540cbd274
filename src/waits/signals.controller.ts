import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ActingGroup, Auth, CurrentCaller } from '../auth/auth.decorator.js';
import type { Caller } from '../auth/caller.js';
import { IdParam } from '../common/id-param.js';
import { API_TAGS } from '../openapi/api-tags.js';
import { SendSignalBody, SignalAcceptedResponse } from './dto/signal.dto.js';
import { SignalsService } from './signals.service.js';

@Controller('v1/runs/:run_id/signals')
export class SignalsController {
  constructor(private readonly signals: SignalsService) {}

  /**
   * Sends a signal to a run. It is stored at once and taken, in the order signals arrive, by the
   * run's next SignalNode of that `name`: a run waiting for it resumes at once; a signal sent before
   * the node is reached waits for it. The payload must match the `schema` of every SignalNode of
   * that name in the run's workflow.
   */
  @Auth({ role: 'runner' })
  @Post(':name')
  @HttpCode(202)
  @ApiTags(API_TAGS.runs.name)
  @ApiOperation({ operationId: 'sendSignal', summary: 'Send a signal to a run' })
  @ApiAcceptedResponse({
    type: SignalAcceptedResponse,
    description: 'Stored; the next SignalNode of the name takes it.',
  })
  @ApiNotFoundResponse({ description: 'No such run in the group.' })
  @ApiConflictResponse({ description: 'The run has finished (`run_status`).' })
  @ApiUnprocessableEntityResponse({
    description: 'No SignalNode of the run waits for this name, or the payload does not match its schema (`errors`).',
  })
  send(
    @ActingGroup() groupId: string,
    @CurrentCaller() caller: Caller,
    @IdParam('run_id', 'Run') runId: string,
    @Param('name') name: string,
    @Body() body: SendSignalBody,
  ): Promise<SignalAcceptedResponse> {
    return this.signals.send(groupId, runId, name, body.payload, caller.keyId);
  }
}
