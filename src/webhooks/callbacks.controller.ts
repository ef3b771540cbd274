import type { AuditActor } from '../common/audit-events.js';
import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ActingGroup, Actor, Auth } from '../auth/auth.decorator.js';
import { IdParam } from '../common/id-param.js';
import { ItemsOf } from '../common/pagination.js';
import { API_TAGS } from '../openapi/api-tags.js';
import { CallbacksService } from './callbacks.service.js';
import { CallbackAttemptResponse, RedeliveryResponse } from './dto/callback.dto.js';

@ApiTags(API_TAGS.callbacks.name)
@Controller('v1/runs/:run_id/callbacks')
export class CallbacksController {
  constructor(private readonly callbacks: CallbacksService) {}

  /** Every delivery attempt of the run's callback, oldest first (by chain, then attempt). */
  @Auth({ role: 'viewer' })
  @Get()
  @ApiOperation({ operationId: 'listCallbacks', summary: "List a run's callback attempts" })
  @ApiOkResponse({ type: ItemsOf(CallbackAttemptResponse) })
  async list(
    @ActingGroup() groupId: string,
    @IdParam('run_id', 'Run') runId: string,
  ): Promise<{ items: CallbackAttemptResponse[] }> {
    return { items: await this.callbacks.attempts(groupId, runId) };
  }

  /**
   * Sends the callback again, as a new chain of attempts on the retry schedule, with the same
   * `webhook-id`. A chain still retrying is superseded.
   */
  @Auth({ role: 'runner' })
  @Post('redeliver')
  @HttpCode(202)
  @ApiOperation({ operationId: 'redeliverCallback', summary: "Redeliver a run's callback" })
  @ApiAcceptedResponse({ type: RedeliveryResponse, description: 'The first attempt is queued.' })
  @ApiConflictResponse({ description: 'The run has no callback_url, or has not finished yet.' })
  redeliver(
    @ActingGroup() groupId: string,
    @Actor() actor: AuditActor,
    @IdParam('run_id', 'Run') runId: string,
  ): Promise<RedeliveryResponse> {
    return this.callbacks.redeliver(groupId, runId, actor);
  }
}
