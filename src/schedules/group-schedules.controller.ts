import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ActingGroup, Auth } from '../auth/auth.decorator.js';
import { Page, PageOf } from '../common/pagination.js';
import { API_TAGS } from '../openapi/api-tags.js';
import { ScheduleListQuery, ScheduleResponse } from './dto/schedule.dto.js';
import { SchedulesService } from './schedules.service.js';

/** The group's schedules across its workflows; each is managed under its workflow (SchedulesController). */
@ApiTags(API_TAGS.schedules.name)
@Controller('v1/schedules')
export class GroupSchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  /** Every schedule of the group's workflows, newest first; `workflow_id` keeps one workflow's. */
  @Auth({ role: 'viewer' })
  @Get()
  @ApiOperation({ operationId: 'listSchedules', summary: 'List the schedules of the group' })
  @ApiOkResponse({ type: PageOf(ScheduleResponse) })
  list(@ActingGroup() groupId: string, @Query() query: ScheduleListQuery): Promise<Page<ScheduleResponse>> {
    return this.schedules.listAll(groupId, query);
  }
}
