import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { AuditActor } from '../common/audit-events.js';
import { ActingGroup, Actor, Auth } from '../auth/auth.decorator.js';
import { IdParam } from '../common/id-param.js';
import { Page, PageOf, PageQuery } from '../common/pagination.js';
import { API_TAGS } from '../openapi/api-tags.js';
import { CreateScheduleBody, ScheduleResponse, UpdateScheduleBody } from './dto/schedule.dto.js';
import { SchedulesService } from './schedules.service.js';
import { SCHEDULE_EXAMPLES } from '../openapi/request-examples.js';

@ApiTags(API_TAGS.schedules.name)
@ApiNotFoundResponse({ description: 'No such workflow, version or schedule in the group.' })
@Controller('v1/workflows/:workflow_id/schedules')
export class SchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  /** Starts a run of the workflow on every tick of `cron` in `timezone`. */
  @Auth({ role: 'editor' })
  @Post()
  @ApiOperation({ operationId: 'createSchedule', summary: 'Create a schedule' })
  @ApiBody({ type: CreateScheduleBody, examples: SCHEDULE_EXAMPLES.create })
  @ApiCreatedResponse({ type: ScheduleResponse })
  @ApiUnprocessableEntityResponse({ description: 'Bad cron or timezone, or an input the workflow refuses.' })
  @ApiConflictResponse({
    description:
      'The group has its `max_schedules` schedules (type `…/problems/limit-exceeded/max_schedules`, with `limit`, ' +
      '`value`, `current`); delete one first. Waiting does not help, so there is no Retry-After.',
  })
  create(
    @ActingGroup() groupId: string,
    @Actor() actor: AuditActor,
    @IdParam('workflow_id', 'Workflow') workflowId: string,
    @Body() body: CreateScheduleBody,
  ): Promise<ScheduleResponse> {
    return this.schedules.create(groupId, workflowId, body, actor);
  }

  /** The workflow's schedules, newest first. */
  @Auth({ role: 'viewer' })
  @Get()
  @ApiOperation({ operationId: 'listWorkflowSchedules', summary: 'List the schedules of a workflow' })
  @ApiOkResponse({ type: PageOf(ScheduleResponse) })
  list(
    @ActingGroup() groupId: string,
    @IdParam('workflow_id', 'Workflow') workflowId: string,
    @Query() query: PageQuery,
  ): Promise<Page<ScheduleResponse>> {
    return this.schedules.list(groupId, workflowId, query);
  }

  @Auth({ role: 'viewer' })
  @Get(':schedule_id')
  @ApiOperation({ operationId: 'getSchedule', summary: 'Get a schedule' })
  @ApiOkResponse({ type: ScheduleResponse })
  get(
    @ActingGroup() groupId: string,
    @IdParam('workflow_id', 'Workflow') workflowId: string,
    @IdParam('schedule_id', 'Schedule') id: string,
  ): Promise<ScheduleResponse> {
    return this.schedules.get(groupId, workflowId, id);
  }

  /** Changes the given fields; `enabled: false` pauses the schedule. */
  @Auth({ role: 'editor' })
  @Patch(':schedule_id')
  @ApiOperation({ operationId: 'updateSchedule', summary: 'Change or pause a schedule' })
  @ApiBody({ type: UpdateScheduleBody, examples: SCHEDULE_EXAMPLES.update })
  @ApiOkResponse({ type: ScheduleResponse })
  @ApiUnprocessableEntityResponse({ description: 'Bad cron or timezone, or an input the workflow refuses.' })
  update(
    @ActingGroup() groupId: string,
    @Actor() actor: AuditActor,
    @IdParam('workflow_id', 'Workflow') workflowId: string,
    @IdParam('schedule_id', 'Schedule') id: string,
    @Body() body: UpdateScheduleBody,
  ): Promise<ScheduleResponse> {
    return this.schedules.update(groupId, workflowId, id, body, actor);
  }

  /** Deletes the schedule; the runs it started stay. */
  @Auth({ role: 'editor' })
  @Delete(':schedule_id')
  @ApiOperation({ operationId: 'deleteSchedule', summary: 'Delete a schedule' })
  @HttpCode(204)
  @ApiNoContentResponse()
  delete(
    @ActingGroup() groupId: string,
    @Actor() actor: AuditActor,
    @IdParam('workflow_id', 'Workflow') workflowId: string,
    @IdParam('schedule_id', 'Schedule') id: string,
  ): Promise<void> {
    return this.schedules.delete(groupId, workflowId, id, actor);
  }
}
