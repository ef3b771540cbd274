import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import {
  ForbiddenProblem,
  NotFoundProblem,
  Problem,
  UnauthorizedProblem,
  ValidationProblem,
} from '../common/problem.js';
import { isUuid } from '../common/uuid.js';
import { ApiKeyCache } from './api-key-cache.js';
import { AuthFailureLimiter } from './auth-failure-limiter.js';
import { ApiKeysRepository } from './api-keys.repository.js';
import { hashApiKey } from './api-key-secret.js';
import type { Caller } from './caller.js';
import { GroupsRepository } from './groups.repository.js';
import { RateLimiter } from './rate-limiter.js';
import { hasRole, REQUIRED_ROLE, type RequiredRole, rolesAllowed, articleOf } from '../common/roles.js';

export const GROUP_ID_IN_BODY = 'runloom:group-id-in-body';

// last_used_at is accurate to this much, so a busy key costs one write a minute, not one a request.
const LAST_USED_RESOLUTION_MS = 60_000;

@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly lastTouched = new Map<string, number>();

  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysRepository,
    private readonly cache: ApiKeyCache,
    private readonly groups: GroupsRepository,
    private readonly rateLimiter: RateLimiter,
    private readonly authFailures: AuthFailureLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    // Set already when authenticateBeforeBody checked the key: it is not hashed and looked up twice.
    const caller = request.caller ?? (await this.authenticate(request));
    const retryAfter = this.rateLimiter.take(caller.keyId);
    if (retryAfter !== undefined) {
      throw new Problem(
        429,
        'rate-limited',
        'Too Many Requests',
        'This API key made too many requests; retry later.',
        {},
        {
          'Retry-After': String(retryAfter),
        },
      );
    }
    // Before the group and before any pipe: a key below the route's role learns nothing else, not even a 404.
    // `@Auth` always sets the role; were it missing, only admin keys would pass.
    const needed = this.reflector.get<RequiredRole | undefined>(REQUIRED_ROLE, context.getHandler()) ?? 'admin';
    if (!hasRole(caller.role, needed)) throw new ForbiddenProblem(roleRefusal(needed, caller.role));
    request.caller = caller;
    const bodyMayNameGroup = this.reflector.get<boolean>(GROUP_ID_IN_BODY, context.getHandler()) ?? false;
    request.actingGroupId = await this.actingGroup(caller, requestedGroupId(request, bodyMayNameGroup));
    this.touch(caller.keyId);
    return true;
  }

  /**
   * The caller behind the request's `X-API-Key`. Also run by `authenticateBeforeBody`, before the
   * body is read, which hands the caller on to the guard in `request.caller`. Failures count against the client address,
   * and an address over its limit is refused without a lookup — unless its key is a known one, so
   * someone guessing keys behind the same address does not lock out real users.
   */
  async authenticate(request: Request): Promise<Caller> {
    const secret = request.header('x-api-key');
    const hash = secret ? hashApiKey(secret) : '';
    // Read only when needed: request.ip parses X-Forwarded-For against `trust proxy` each time.
    const address = () => request.ip ?? request.socket.remoteAddress ?? '';
    if (!this.cache.cached(hash)) this.authFailures.check(address());
    try {
      return await this.callerFor(secret, hash);
    } catch (error) {
      if (error instanceof UnauthorizedProblem) this.authFailures.failed(address());
      throw error;
    }
  }

  private async callerFor(secret: string | undefined, hash: string): Promise<Caller> {
    if (!secret) throw new UnauthorizedProblem('Send your API key in the X-API-Key header.');
    const key = await this.cache.findByHash(hash);
    if (!key) throw new UnauthorizedProblem('The API key is not valid.');
    if (key.revokedAt) throw new UnauthorizedProblem('The API key was revoked.');
    if (key.expiresAt && key.expiresAt.getTime() <= Date.now())
      throw new UnauthorizedProblem('The API key has expired.');
    return { keyId: key.id, role: key.role, defaultGroupId: key.defaultGroupId, groupIds: key.groupIds };
  }

  private async actingGroup(caller: Caller, requested: unknown): Promise<string> {
    if (requested === undefined || requested === null || requested === '') return caller.defaultGroupId;
    if (typeof requested !== 'string' || !isUuid(requested)) {
      throw new ValidationProblem([{ field: 'group_id', message: 'group_id must be a UUID' }]);
    }
    if (caller.groupIds.includes(requested)) return requested;
    if (caller.role !== 'admin') throw new ForbiddenProblem('This API key may not act in that group.');
    if (!(await this.groups.findById(requested))) throw new NotFoundProblem('Group', requested);
    return requested;
  }

  private touch(keyId: string): void {
    const now = Date.now();
    if (now - (this.lastTouched.get(keyId) ?? 0) < LAST_USED_RESOLUTION_MS) return;
    this.lastTouched.set(keyId, now);
    void this.keys.touch(keyId, new Date(now - LAST_USED_RESOLUTION_MS)).catch(() => this.lastTouched.delete(keyId));
  }
}

function roleRefusal(needed: RequiredRole, has: string): string {
  return `This endpoint needs ${articleOf(needed)} ${needed} key (${rolesAllowed(needed).join(', ')}); this key's role is ${has}.`;
}

/** `group_id` comes from the query string, or (run creation only) from the JSON body. */
function requestedGroupId(request: Request, bodyMayNameGroup: boolean): unknown {
  const body = request.body as Record<string, unknown> | undefined;
  const inBody =
    bodyMayNameGroup && body && typeof body === 'object' && !Array.isArray(body) ? body.group_id : undefined;
  return inBody ?? request.query.group_id;
}
