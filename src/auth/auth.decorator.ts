import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata, UseGuards } from '@nestjs/common';
import {
  ApiExtension,
  ApiForbiddenResponse,
  ApiQuery,
  ApiSecurity,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiKeyGuard, GROUP_ID_IN_BODY } from './api-key.guard.js';
import type { Caller } from './caller.js';
import { REQUIRED_ROLE, REQUIRED_ROLE_EXTENSION, NO_KEY, type RequiredRole, rolesAllowed } from '../common/roles.js';
import type { AuditActor } from '../common/audit-events.js';
import { API_KEY_SCHEME } from '../openapi/api-tags.js';

/**
 * Requires a valid `X-API-Key` of at least `role` (viewer < runner < editor < admin; `member`
 * counts as editor). It goes on each route handler (its type refuses a class), so the role a route
 * needs is declared there and nowhere else; a route with neither this nor `@NoApiKey()` fails
 * src/auth/route-roles.spec.ts.
 */
export function Auth(options: { role: RequiredRole }): MethodDecorator {
  const { role } = options;
  return applyDecorators(
    SetMetadata(REQUIRED_ROLE, role),
    UseGuards(ApiKeyGuard),
    ApiSecurity(API_KEY_SCHEME),
    ApiExtension(REQUIRED_ROLE_EXTENSION, role),
    ApiUnauthorizedResponse({ description: 'Missing, unknown, revoked or expired API key.' }),
    ApiForbiddenResponse({ description: `${forbiddenWhen(role)}, or group_id outside the key's groups.` }),
    ApiTooManyRequestsResponse({ description: 'Rate limit reached; see Retry-After.' }),
    ...(role === 'admin'
      ? []
      : [
          ApiQuery({
            name: 'group_id',
            required: false,
            description: "Act in this group instead of the key's default.",
          }),
        ]),
  ) as MethodDecorator;
}

/** `The key's role is below runner (needs runner, editor, member or admin)`. */
function forbiddenWhen(role: RequiredRole): string {
  const allowed = rolesAllowed(role);
  const list = allowed.length > 1 ? `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}` : allowed[0];
  return `The key's role is below ${role} (needs ${list})`;
}

/**
 * The routes that take no API key (health, metrics, resume links, whose token is the credential)
 * say so with this, so that "no role declared" is never a route's state by omission.
 */
export const NoApiKey = (): ClassDecorator & MethodDecorator => SetMetadata(NO_KEY, true);

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
