import type { AuditActor } from '../common/audit-events.js';
import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdParam } from '../common/id-param.js';
import { Page, PageOf, PageQuery } from '../common/pagination.js';
import { API_TAGS } from '../openapi/api-tags.js';
import { ApiKeysService } from './api-keys.service.js';
import { Actor, Auth } from './auth.decorator.js';
import { ApiKeyResponse, CreateApiKeyBody, CreatedApiKeyResponse } from './dto/api-key.dto.js';

@ApiTags(API_TAGS.keysAndGroups.name)
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  /** Creates a key; the response's `key` is the only time the secret is shown. */
  @Auth({ role: 'admin' })
  @Post()
  @ApiOperation({ operationId: 'createApiKey', summary: 'Create an API key' })
  @ApiCreatedResponse({ type: CreatedApiKeyResponse })
  create(@Actor() actor: AuditActor, @Body() body: CreateApiKeyBody): Promise<CreatedApiKeyResponse> {
    return this.keys.create(body, actor);
  }

  @Auth({ role: 'admin' })
  @Get()
  @ApiOperation({ operationId: 'listApiKeys', summary: 'List API keys' })
  @ApiOkResponse({ type: PageOf(ApiKeyResponse) })
  list(@Query() query: PageQuery): Promise<Page<ApiKeyResponse>> {
    return this.keys.list(query);
  }

  /** Revokes a key; it stops working at once, on every instance. */
  @Auth({ role: 'admin' })
  @Delete(':key_id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'revokeApiKey', summary: 'Revoke an API key' })
  @ApiNoContentResponse({ description: 'Revoked.' })
  revoke(@Actor() actor: AuditActor, @IdParam('key_id', 'API key') id: string): Promise<void> {
    return this.keys.revoke(id, actor);
  }
}
