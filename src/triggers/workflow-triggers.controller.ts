import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ActingGroup, Actor, Auth } from '../auth/auth.decorator.js';
import type { AuditActor } from '../common/audit-events.js';
import { IdParam } from '../common/id-param.js';
import { Page, PageOf, PageQuery } from '../common/pagination.js';
import { API_TAGS } from '../openapi/api-tags.js';
import { TRIGGER_EXAMPLES } from '../openapi/request-examples.js';
import { CreateTriggerBody, TriggerCredentialsResponse, TriggerResponse } from './dto/trigger.dto.js';
import { TriggersService } from './triggers.service.js';

/** A workflow's webhook triggers; each is then managed at `/v1/triggers/{trigger_id}` (TriggersController). */
@ApiTags(API_TAGS.triggers.name)
@ApiNotFoundResponse({ description: 'No such workflow or version in the group.' })
@Controller('v1/workflows/:workflow_id/triggers')
export class WorkflowTriggersController {
  constructor(private readonly triggers: TriggersService) {}

  /**
   * Creates a webhook trigger: the answer holds its `url` and signing `secret`, shown this once
   * (`POST /v1/triggers/{trigger_id}/rotate` makes new ones).
   */
  @Post()
  @Auth({ role: 'editor' })
  @ApiOperation({ operationId: 'createTrigger', summary: 'Create a webhook trigger' })
  @ApiBody({ type: CreateTriggerBody, examples: TRIGGER_EXAMPLES.create })
  @ApiCreatedResponse({ type: TriggerCredentialsResponse })
  @ApiUnprocessableEntityResponse({
    description: 'A bad input_mapping (JSONata), verification fields that do not fit its type, or a bad secret.',
  })
  @ApiConflictResponse({
    description:
      'The group has its `max_triggers` triggers (type `…/problems/limit-exceeded/max_triggers`, with `limit`, ' +
      '`value`, `current`); delete one first.',
  })
  @ApiServiceUnavailableResponse({ description: 'A signed trigger needs SECRETS_KEY to store its secret.' })
  create(
    @ActingGroup() groupId: string,
    @Actor() actor: AuditActor,
    @IdParam('workflow_id', 'Workflow') workflowId: string,
    @Body() body: CreateTriggerBody,
  ): Promise<TriggerCredentialsResponse> {
    return this.triggers.create(groupId, workflowId, body, actor);
  }

  /** The workflow's triggers, newest first (without their URL or secret). */
  @Get()
  @Auth({ role: 'viewer' })
  @ApiOperation({ operationId: 'listWorkflowTriggers', summary: 'List the triggers of a workflow' })
  @ApiOkResponse({ type: PageOf(TriggerResponse) })
  list(
    @ActingGroup() groupId: string,
    @IdParam('workflow_id', 'Workflow') workflowId: string,
    @Query() query: PageQuery,
  ): Promise<Page<TriggerResponse>> {
    return this.triggers.list(groupId, workflowId, query);
  }
}
