import type { AuditActor } from '../common/audit-events.js';
import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { IdParam } from '../common/id-param.js';
import { Page, PageOf, PageQuery } from '../common/pagination.js';
import { API_TAGS } from '../openapi/api-tags.js';
import { Actor, Auth, CurrentCaller } from './auth.decorator.js';
import type { Caller } from './caller.js';
import { CreateGroupBody, DeleteGroupQuery, GroupResponse } from './dto/group.dto.js';
import { UpdateGroupBody } from './dto/group-limits.dto.js';
import { GroupsService } from './groups.service.js';

@ApiTags(API_TAGS.keysAndGroups.name)
@Controller('v1/groups')
export class GroupsController {
  constructor(private readonly groups: GroupsService) {}

  /** Creates a workspace with its own webhook signing secret. */
  @Auth({ role: 'admin' })
  @Post()
  @ApiOperation({ operationId: 'createGroup', summary: 'Create a group' })
  @ApiCreatedResponse({ type: GroupResponse })
  @ApiConflictResponse({
    description: 'Another group has the name, regardless of case (`…/problems/group-name-taken`).',
  })
  create(@Actor() actor: AuditActor, @Body() body: CreateGroupBody): Promise<GroupResponse> {
    return this.groups.create(body.name, actor);
  }

  @Auth({ role: 'admin' })
  @Get()
  @ApiOperation({ operationId: 'listGroups', summary: 'List groups' })
  @ApiOkResponse({ type: PageOf(GroupResponse) })
  list(@Query() query: PageQuery): Promise<Page<GroupResponse>> {
    return this.groups.list(query);
  }

  /** One group, including its `webhook_secret`, its `limits` and its `usage` of them. */
  @Auth({ role: 'admin' })
  @Get(':group_id')
  @ApiOperation({ operationId: 'getGroup', summary: 'Get a group' })
  @ApiOkResponse({ type: GroupResponse })
  get(@IdParam('group_id', 'Group') id: string): Promise<GroupResponse> {
    return this.groups.get(id);
  }

  /**
   * Renames the group (`name`) and overrides some of its limits (`limits`: name → value; null
   * returns a limit to the deployment's default). Answers with the group as `GET` does.
   */
  @Auth({ role: 'admin' })
  @Patch(':group_id')
  @ApiOperation({ operationId: 'updateGroup', summary: 'Rename a group or change its limits' })
  @ApiOkResponse({ type: GroupResponse })
  @ApiConflictResponse({
    description: 'Another group has the name, regardless of case (`…/problems/group-name-taken`).',
  })
  update(
    @Actor() actor: AuditActor,
    @IdParam('group_id', 'Group') id: string,
    @Body() body: UpdateGroupBody,
  ): Promise<GroupResponse> {
    return this.groups.update(id, body, actor);
  }

  /**
   * Deletes a group that holds nothing. While it holds workflows, runs, schedules, secrets or
   * usable API keys whose default group it is, the answer is 409 with `holds` counting each kind.
   * With `force=true` the group goes with everything it holds, in one transaction: its runs (with
   * their events and callbacks), workflows and versions, schedules and secrets; keys whose default
   * group it is are revoked, and other keys lose it from `group_ids`. Even forced, a group with
   * queued, running or waiting runs is refused (stop them first), and so is the default group of
   * the key making the request.
   */
  @Auth({ role: 'admin' })
  @Delete(':group_id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteGroup', summary: 'Delete a group' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiConflictResponse({
    description:
      'The group holds something (`…/problems/group-not-empty`, with `holds`: counts by kind), has active runs ' +
      '(even with `force=true`), or is the default group of the key making the request (`…/problems/own-default-group`).',
  })
  async delete(
    @IdParam('group_id', 'Group') id: string,
    @Query() query: DeleteGroupQuery,
    @CurrentCaller() caller: Caller,
    @Actor() actor: AuditActor,
  ): Promise<void> {
    await this.groups.delete(id, query.force, caller, actor);
  }
}
