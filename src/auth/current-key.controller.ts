import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { API_TAGS } from '../openapi/api-tags.js';
import { Auth, CurrentCaller } from './auth.decorator.js';
import type { Caller } from './caller.js';
import { CurrentKeyResponse } from './dto/current-key.dto.js';
import { GroupsService } from './groups.service.js';

@ApiTags(API_TAGS.keysAndGroups.name)
@Controller('v1/me')
export class CurrentKeyController {
  constructor(private readonly groups: GroupsService) {}

  /** The API key making the request: its role, default group and allowed groups (for clients such as the console). */
  @Auth({ role: 'viewer' })
  @Get()
  @ApiOperation({ operationId: 'getCurrentKey', summary: 'The calling API key' })
  @ApiOkResponse({ type: CurrentKeyResponse })
  async get(@CurrentCaller() caller: Caller): Promise<CurrentKeyResponse> {
    return {
      key_id: caller.keyId,
      role: caller.role,
      default_group_id: caller.defaultGroupId,
      groups: await this.groups.named(caller.groupIds),
    };
  }
}
