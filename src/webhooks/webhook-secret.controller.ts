import type { AuditActor } from '../common/audit-events.js';
import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { API_TAGS } from '../openapi/api-tags.js';
import { Actor, Auth } from '../auth/auth.decorator.js';
import { IdParam } from '../common/id-param.js';
import { CallbacksService } from './callbacks.service.js';
import { WebhookSecretResponse } from './dto/callback.dto.js';

@ApiTags(API_TAGS.callbacks.name)
@Controller('v1/groups/:group_id/webhook-secret')
export class WebhookSecretController {
  constructor(private readonly callbacks: CallbacksService) {}

  /**
   * Replaces the group's callback signing secret. For 24 hours the previous secret keeps signing
   * too (a second signature in `webhook-signature`), so receivers can switch without missing one.
   */
  @Auth({ role: 'admin' })
  @Post('rotate')
  @HttpCode(200)
  @ApiOperation({ operationId: 'rotateWebhookSecret', summary: "Rotate a group's callback signing secret" })
  @ApiOkResponse({ type: WebhookSecretResponse })
  rotate(@Actor() actor: AuditActor, @IdParam('group_id', 'Group') groupId: string): Promise<WebhookSecretResponse> {
    return this.callbacks.rotateSecret(groupId, actor);
  }
}
