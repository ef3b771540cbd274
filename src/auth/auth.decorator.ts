import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata, UseGuards } from '@nestjs/common';
import {
  ApiForbiddenResponse,
  ApiQuery,
  ApiSecurity,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { ADMIN_ONLY, ApiKeyGuard, GROUP_ID_IN_BODY } from './api-key.guard.js';
import type { Caller } from './caller.js';
import type { AuditActor } from '../common/audit-events.js';
import { API_KEY_SCHEME } from '../openapi/api-tags.js';

/** Requires a valid `X-API-Key`; `{ admin: true }` also requires an admin key. */
export function Auth(options: { admin?: boolean } = {}): ClassDecorator & MethodDecorator {
  return applyDecorators(
    SetMetadata(ADMIN_ONLY, options.admin ?? false),
    UseGuards(ApiKeyGuard),
    ApiSecurity(API_KEY_SCHEME),
    ApiUnauthorizedResponse({ description: 'Missing, unknown, revoked or expired API key.' }),
    ApiForbiddenResponse({
      description: options.admin ? 'Not an admin key, or group not allowed.' : "group_id outside the key's groups.",
    }),
    ApiTooManyRequestsResponse({ description: 'Rate limit reached; see Retry-After.' }),
    ...(options.admin
      ? []
      : [
          ApiQuery({
            name: 'group_id',
            required: false,
            description: "Act in this group instead of the key's default.",
          }),
        ]),
  );
}

/** Run creation may name its group in the body (`group_id`), as the published API does. */
export const GroupIdInBody = (): MethodDecorator => SetMetadata(GROUP_ID_IN_BODY, true);

export const CurrentCaller = createParamDecorator(
  (_: unknown, context: ExecutionContext): Caller => context.switchToHttp().getRequest<Request>().caller!,
);

/** The group the request acts in (resolved and authorised by the guard). */
export const ActingGroup = createParamDecorator(
  (_: unknown, context: ExecutionContext): string => context.switchToHttp().getRequest<Request>().actingGroupId!,
);

/** The API key making the request, as the author of what it changes (the audit log's actor). */
export const Actor = createParamDecorator((_: unknown, context: ExecutionContext): AuditActor => ({
  kind: 'api_key',
  keyId: context.switchToHttp().getRequest<Request>().caller!.keyId,
}));
