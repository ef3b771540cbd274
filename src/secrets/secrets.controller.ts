import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ActingGroup, Auth, CurrentCaller } from '../auth/auth.decorator.js';
import type { Caller } from '../auth/caller.js';
import { Page, PageOf, PageQuery } from '../common/pagination.js';
import { API_TAGS } from '../openapi/api-tags.js';
import { PutSecretBody, SecretResponse } from './dto/secret.dto.js';
import { SecretsService } from './secrets.service.js';
import { SECRET_EXAMPLES } from '../openapi/request-examples.js';

@ApiTags(API_TAGS.secrets.name)
@ApiServiceUnavailableResponse({ description: 'SECRETS_KEY is not configured on this server.' })
@Controller('v1/secrets')
export class SecretsController {
  constructor(private readonly secrets: SecretsService) {}

  /** Sets the group secret NAME (201 when new, 200 when replaced); runs that start afterwards use the new value. */
  @Auth({ role: 'editor' })
  @Put(':name')
  @ApiOperation({ operationId: 'setSecret', summary: 'Set a secret' })
  @ApiBody({ type: PutSecretBody, examples: SECRET_EXAMPLES })
  @ApiCreatedResponse({ type: SecretResponse, description: 'The secret was created.' })
  @ApiOkResponse({ type: SecretResponse, description: 'The value was replaced.' })
  @ApiUnprocessableEntityResponse({ description: 'Bad name or value.' })
  async put(
    @ActingGroup() groupId: string,
    @CurrentCaller() caller: Caller,
    @Param('name') name: string,
    @Body() body: PutSecretBody,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SecretResponse> {
    const { secret, created } = await this.secrets.put(groupId, name, body.value, caller.keyId);
    response.status(created ? 201 : 200);
    return secret;
  }

  /** The group's secrets by name: when and by which key they were set, never their values. */
  @Auth({ role: 'viewer' })
  @Get()
  @ApiOperation({ operationId: 'listSecrets', summary: 'List secrets (names only)' })
  @ApiOkResponse({ type: PageOf(SecretResponse) })
  list(@ActingGroup() groupId: string, @Query() query: PageQuery): Promise<Page<SecretResponse>> {
    return this.secrets.list(groupId, query);
  }

  /** Deletes the secret; runs that reference it afterwards fail with `secret_missing`. */
  @Auth({ role: 'editor' })
  @Delete(':name')
  @ApiOperation({ operationId: 'deleteSecret', summary: 'Delete a secret' })
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'No secret of that name in the group.' })
  delete(@ActingGroup() groupId: string, @CurrentCaller() caller: Caller, @Param('name') name: string): Promise<void> {
    return this.secrets.delete(groupId, name, caller.keyId);
  }
}
