import { Body, Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import {
  ApiBody,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ActingGroup, Actor, Auth } from '../auth/auth.decorator.js';
import type { AuditActor } from '../common/audit-events.js';
import { IdParam } from '../common/id-param.js';
import { API_TAGS } from '../openapi/api-tags.js';
import { TRIGGER_EXAMPLES } from '../openapi/request-examples.js';
import {
  RotateTriggerBody,
  TriggerCredentialsResponse,
  TriggerResponse,
  UpdateTriggerBody,
} from './dto/trigger.dto.js';
import { TriggersService } from './triggers.service.js';

@ApiTags(API_TAGS.triggers.name)
@ApiNotFoundResponse({ description: 'No such trigger in the group.' })
@Controller('v1/triggers/:trigger_id')
export class TriggersController {
  constructor(private readonly triggers: TriggersService) {}

  @Get()
  @Auth({ role: 'viewer' })
  @ApiOperation({ operationId: 'getTrigger', summary: 'Get a webhook trigger' })
  @ApiOkResponse({ type: TriggerResponse })
  get(@ActingGroup() groupId: string, @IdParam('trigger_id', 'Trigger') id: string): Promise<TriggerResponse> {
    return this.triggers.get(groupId, id);
  }

  /** Changes the given fields; `enabled: false` makes its URL answer 404 until enabled again. */
  @Patch()
  @Auth({ role: 'editor' })
  @ApiOperation({ operationId: 'updateTrigger', summary: 'Change or disable a webhook trigger' })
  @ApiBody({ type: UpdateTriggerBody, examples: TRIGGER_EXAMPLES.update })
  @ApiOkResponse({ type: TriggerResponse })
  @ApiUnprocessableEntityResponse({
    description: 'A bad input_mapping, a null field, or a tolerance its type has not.',
  })
  update(
    @ActingGroup() groupId: string,
    @Actor() actor: AuditActor,
    @IdParam('trigger_id', 'Trigger') id: string,
    @Body() body: UpdateTriggerBody,
  ): Promise<TriggerResponse> {
    return this.triggers.update(groupId, id, body, actor);
  }

  /** New URL token and/or signing secret, shown this once; the old ones stop working at once. */
  @Post('rotate')
  @Auth({ role: 'editor' })
  @HttpCode(200)
  @ApiOperation({ operationId: 'rotateTrigger', summary: "Replace a trigger's URL or secret" })
  @ApiBody({ type: RotateTriggerBody, examples: TRIGGER_EXAMPLES.rotate })
  @ApiOkResponse({ type: TriggerCredentialsResponse })
  @ApiUnprocessableEntityResponse({ description: 'Nothing to rotate, or a secret for a trigger that has none.' })
  rotate(
    @ActingGroup() groupId: string,
    @Actor() actor: AuditActor,
    @IdParam('trigger_id', 'Trigger') id: string,
    @Body() body: RotateTriggerBody,
  ): Promise<TriggerCredentialsResponse> {
    return this.triggers.rotate(groupId, id, body, actor);
  }

  /** Deletes the trigger: its URL answers 404 from now on; the runs it started stay. */
  @Delete()
  @Auth({ role: 'editor' })
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteTrigger', summary: 'Delete a webhook trigger' })
  @ApiNoContentResponse()
  delete(
    @ActingGroup() groupId: string,
    @Actor() actor: AuditActor,
    @IdParam('trigger_id', 'Trigger') id: string,
  ): Promise<void> {
    return this.triggers.delete(groupId, id, actor);
  }
}
