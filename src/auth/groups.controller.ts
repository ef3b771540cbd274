import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdParam } from '../common/id-param.js';
import { Page, PageOf, PageQuery } from '../common/pagination.js';
import { API_TAGS } from '../openapi/api-tags.js';
import { Auth } from './auth.decorator.js';
import { CreateGroupBody, GroupResponse } from './dto/group.dto.js';
import { UpdateGroupBody } from './dto/group-limits.dto.js';
import { GroupsService } from './groups.service.js';

@ApiTags(API_TAGS.keysAndGroups.name)
@Auth({ admin: true })
@Controller('v1/groups')
export class GroupsController {
  constructor(private readonly groups: GroupsService) {}

  /** Creates a workspace with its own webhook signing secret. */
  @Post()
  @ApiOperation({ operationId: 'createGroup', summary: 'Create a group' })
  @ApiCreatedResponse({ type: GroupResponse })
  create(@Body() body: CreateGroupBody): Promise<GroupResponse> {
    return this.groups.create(body.name);
  }

  @Get()
  @ApiOperation({ operationId: 'listGroups', summary: 'List groups' })
  @ApiOkResponse({ type: PageOf(GroupResponse) })
  list(@Query() query: PageQuery): Promise<Page<GroupResponse>> {
    return this.groups.list(query);
  }

  /** One group, including its `webhook_secret`, its `limits` and its `usage` of them. */
  @Get(':group_id')
  @ApiOperation({ operationId: 'getGroup', summary: 'Get a group' })
  @ApiOkResponse({ type: GroupResponse })
  get(@IdParam('group_id', 'Group') id: string): Promise<GroupResponse> {
    return this.groups.get(id);
  }

  /**
   * Overrides some of the group's limits (`limits`: name → value; null returns a limit to the
   * deployment's default). Answers with the group as `GET` does.
   */
  @Patch(':group_id')
  @ApiOperation({ operationId: 'updateGroup', summary: "Change a group's limits" })
  @ApiOkResponse({ type: GroupResponse })
  update(@IdParam('group_id', 'Group') id: string, @Body() body: UpdateGroupBody): Promise<GroupResponse> {
    return this.groups.update(id, body);
  }
}
