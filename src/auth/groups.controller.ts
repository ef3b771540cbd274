import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IdParam } from '../common/id-param.js';
import { Page, PageQuery } from '../common/pagination.js';
import { Auth } from './auth.decorator.js';
import { CreateGroupBody, GroupResponse } from './dto/group.dto.js';
import { GroupsService } from './groups.service.js';

@ApiTags('groups')
@Auth({ admin: true })
@Controller('v1/groups')
export class GroupsController {
  constructor(private readonly groups: GroupsService) {}

  /** Creates a workspace with its own webhook signing secret. */
  @Post()
  @ApiCreatedResponse({ type: GroupResponse })
  create(@Body() body: CreateGroupBody): Promise<GroupResponse> {
    return this.groups.create(body.name);
  }

  @Get()
  list(@Query() query: PageQuery): Promise<Page<GroupResponse>> {
    return this.groups.list(query);
  }

  /** One group, including its `webhook_secret`. */
  @Get(':group_id')
  @ApiOkResponse({ type: GroupResponse })
  get(@IdParam('group_id', 'Group') id: string): Promise<GroupResponse> {
    return this.groups.get(id);
  }
}
