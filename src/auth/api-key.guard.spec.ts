import { beforeEach, describe, expect, it } from '@jest/globals';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import type { Request } from 'express';
import type { Socket } from 'node:net';
import type { AppConfig } from '../config/app-config.js';
import { Problem } from '../common/problem.js';
import { stub } from '../common/testing/stub.js';
import type { ApiKey, Group } from '../generated/prisma/client.js';
import type { ApiKeyCache } from './api-key-cache.js';
import { hashApiKey } from './api-key-secret.js';
import { ApiKeyGuard } from './api-key.guard.js';
import type { ApiKeysRepository } from './api-keys.repository.js';
import { Auth, GroupIdInBody } from './auth.decorator.js';
import { AuthFailureLimiter } from './auth-failure-limiter.js';
import type { GroupsRepository } from './groups.repository.js';
import { RateLimiter } from './rate-limiter.js';

const HOME = '00000000-0000-4000-8000-000000000001';
const SHARED = '00000000-0000-4000-8000-000000000002';
const ELSEWHERE = '00000000-0000-4000-8000-000000000003';
const NOWHERE = '00000000-0000-4000-8000-000000000004';

class Routes {
  @Auth({ role: 'editor' })
  member() {}

  @Auth({ role: 'viewer' })
  read() {}

  @Auth({ role: 'runner' })
  stop() {}

  @Auth({ role: 'admin' })
  adminOnly() {}

  @Auth({ role: 'editor' })
  @GroupIdInBody()
  createRun() {}
}

function apiKey(secret: string, values: Partial<ApiKey> = {}): ApiKey {
  return {
    id: `id-${secret}`,
    name: secret,
    hash: hashApiKey(secret),
    prefix: secret.slice(0, 10),
    role: 'member',
    defaultGroupId: HOME,
    groupIds: [HOME, SHARED],
    lastUsedAt: null,
    revokedAt: null,
    expiresAt: null,
    createdAt: new Date(),
    ...values,
  };
}

/** The guard's collaborators that reach the database, in memory, counting what they were asked. */
function storage(keys: ApiKey[]) {
  const byHash = new Map(keys.map((key) => [key.hash, key]));
  const state = { lookups: 0, touched: [] as string[] };
  const cache = stub<ApiKeyCache>({
    cached: (hash: string) => byHash.get(hash),
    findByHash: async (hash: string) => {
      state.lookups++;
      return byHash.get(hash) ?? null;
    },
  });
  const repository = stub<ApiKeysRepository>({
    touch: async (id: string) => void state.touched.push(id),
  });
  const groups = stub<GroupsRepository>({
    findById: async (id: string) => (id === NOWHERE ? null : stub<Group>({ id })),
  });
  return { state, cache, repository, groups };
}

function request(key: string | undefined, from = '10.0.0.1', extra: Partial<Request> = {}): Request {
  return stub<Request>({
    header: headerWith(key),
    ip: from,
    socket: stub<Socket>({ remoteAddress: from }),
    query: {},
    body: undefined,
    ...extra,
  });
}

/** `request.header()` of a request whose only header is `X-API-Key`. */
function headerWith(key: string | undefined): Request['header'] {
  function header(name: 'set-cookie'): string[] | undefined;
  function header(name: string): string | undefined;
  function header(name: string): string | string[] | undefined {
    return name.toLowerCase() === 'x-api-key' ? key : undefined;
  }
  return header;
}

function context(route: keyof Routes, req: Request): ExecutionContext {
  return new ExecutionContextHost([req], Routes, Routes.prototype[route]);
}

describe('ApiKeyGuard', () => {
  const member = apiKey('rl_member');
  const admin = apiKey('rl_admin', { role: 'admin' });
  const revoked = apiKey('rl_revoked', { revokedAt: new Date() });
  const expired = apiKey('rl_expired', { expiresAt: new Date(Date.now() - 1) });
  let store: ReturnType<typeof storage>;
  let config: Pick<AppConfig, 'rateLimitPerMinute' | 'authFailuresPerMinute'>;
  let guard: ApiKeyGuard;

  beforeEach(() => {
    store = storage([member, admin, revoked, expired]);
    config = { rateLimitPerMinute: 0, authFailuresPerMinute: 3 };
    guard = guardOver(store);
  });

  const guardOver = (keys: ReturnType<typeof storage>) =>
    new ApiKeyGuard(
      new Reflector(),
      keys.repository,
      keys.cache,
      keys.groups,
      new RateLimiter(config as AppConfig),
      new AuthFailureLimiter(config as AppConfig),
    );

  /** The problem the guard throws for `req` on `route`, as status, slug and detail. */
  async function refusal(route: keyof Routes, req: Request) {
    const error = await guard.canActivate(context(route, req)).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    if (!(error instanceof Problem)) throw new Error(`expected a problem, got ${String(error)}`);
    return { status: error.status, slug: error.slug, detail: error.detail, headers: error.headers };
  }

  it("lets a valid key in, with its caller and the key's default group on the request", async () => {
    const req = request('rl_member');
    expect(await guard.canActivate(context('member', req))).toBe(true);
    expect(req.caller).toEqual({ keyId: member.id, role: 'member', defaultGroupId: HOME, groupIds: [HOME, SHARED] });
    expect(req.actingGroupId).toBe(HOME);
  });

  it.each([
    ['a missing key', undefined, 'Send your API key in the X-API-Key header.'],
    ['an empty key', '', 'Send your API key in the X-API-Key header.'],
    ['a malformed key', 'not a key at all', 'The API key is not valid.'],
    ['an unknown key', 'rl_unknown', 'The API key is not valid.'],
    ['a revoked key', 'rl_revoked', 'The API key was revoked.'],
    ['an expired key', 'rl_expired', 'The API key has expired.'],
  ])('answers 401 for %s', async (_, key, detail) => {
    const req = request(key);
    expect(await refusal('member', req)).toMatchObject({ status: 401, slug: 'unauthorized', detail });
    expect(req.caller).toBeUndefined();
  });

  it('answers 403 to a member key on an admin route, and lets an admin key in', async () => {
    expect(await refusal('adminOnly', request('rl_member'))).toMatchObject({ status: 403, slug: 'forbidden' });
    expect(await guard.canActivate(context('adminOnly', request('rl_admin')))).toBe(true);
  });

  it("lets a key in when its role is at least the route's, member counting as editor", async () => {
    const keys = (['viewer', 'runner', 'editor', 'member', 'admin'] as const).map((role) =>
      apiKey(`rl_${role}`, { role }),
    );
    guard = guardOver(storage(keys));
    const passes = (route: keyof Routes, role: string) =>
      guard.canActivate(context(route, request(`rl_${role}`))).then(
        () => true,
        () => false,
      );
    const admitted = async (route: keyof Routes) => {
      const roles: string[] = [];
      for (const key of keys) if (await passes(route, key.role)) roles.push(key.role);
      return roles;
    };
    expect(await admitted('read')).toEqual(['viewer', 'runner', 'editor', 'member', 'admin']);
    expect(await admitted('stop')).toEqual(['runner', 'editor', 'member', 'admin']);
    expect(await admitted('member')).toEqual(['editor', 'member', 'admin']);
    expect(await admitted('adminOnly')).toEqual(['admin']);
    expect(await refusal('stop', request('rl_viewer'))).toMatchObject({
      status: 403,
      slug: 'forbidden',
      detail: "This endpoint needs a runner key (runner, editor, member, admin); this key's role is viewer.",
    });
  });

  it("acts in a group named in the query only when it is one of the key's groups, or the key is an admin's", async () => {
    const asMember = (groupId: string) => request('rl_member', undefined, { query: { group_id: groupId } });
    const shared = asMember(SHARED);
    await guard.canActivate(context('member', shared));
    expect(shared.actingGroupId).toBe(SHARED);
    expect(await refusal('member', asMember(ELSEWHERE))).toMatchObject({ status: 403 });
    expect(await refusal('member', asMember('not-a-uuid'))).toMatchObject({ status: 422, slug: 'validation-error' });

    const asAdmin = (groupId: string) => request('rl_admin', undefined, { query: { group_id: groupId } });
    const elsewhere = asAdmin(ELSEWHERE);
    await guard.canActivate(context('member', elsewhere));
    expect(elsewhere.actingGroupId).toBe(ELSEWHERE);
    expect(await refusal('member', asAdmin(NOWHERE))).toMatchObject({ status: 404, slug: 'not-found' });
  });

  it('reads group_id from the body only on routes that allow it', async () => {
    const withBody = () => request('rl_member', undefined, { body: { group_id: SHARED } });
    const creating = withBody();
    await guard.canActivate(context('createRun', creating));
    expect(creating.actingGroupId).toBe(SHARED);
    const other = withBody();
    await guard.canActivate(context('member', other));
    expect(other.actingGroupId).toBe(HOME);
  });

  it('answers 429 with Retry-After once a key is over RATE_LIMIT_PER_MINUTE', async () => {
    config.rateLimitPerMinute = 2;
    await guard.canActivate(context('member', request('rl_member')));
    await guard.canActivate(context('member', request('rl_member')));
    const refused = await refusal('member', request('rl_member'));
    expect(refused).toMatchObject({ status: 429, slug: 'rate-limited' });
    expect(Number(refused.headers['Retry-After'])).toBeGreaterThan(0);
    expect(await guard.canActivate(context('member', request('rl_admin')))).toBe(true); // counted per key
  });

  describe('failed authentications per address (AUTH_FAILURES_PER_MINUTE)', () => {
    const failThreeTimes = async (from: string) => {
      for (const key of [undefined, 'rl_unknown', 'rl_revoked']) await refusal('member', request(key, from));
    };

    it('refuses an address over the limit with 429 before looking its key up', async () => {
      await failThreeTimes('10.0.0.9');
      const lookups = store.state.lookups;
      const refused = await refusal('member', request('rl_guess', '10.0.0.9'));
      expect(refused).toMatchObject({ status: 429, slug: 'rate-limited' });
      expect(Number(refused.headers['Retry-After'])).toBeGreaterThan(0);
      expect(store.state.lookups).toBe(lookups);
    });

    it('still lets a known key in from that address, and other addresses are not affected', async () => {
      await failThreeTimes('10.0.0.9');
      expect(await guard.canActivate(context('member', request('rl_member', '10.0.0.9')))).toBe(true);
      expect(await refusal('member', request('rl_unknown', '10.0.0.8'))).toMatchObject({ status: 401 });
    });

    it('does not count a refusal that is not about the key (403)', async () => {
      for (let i = 0; i < 5; i++) await refusal('adminOnly', request('rl_member', '10.0.0.7'));
      expect(await refusal('member', request('rl_unknown', '10.0.0.7'))).toMatchObject({ status: 401 });
    });
  });

  it("records a key's use at most once a minute", async () => {
    for (let i = 0; i < 3; i++) await guard.canActivate(context('member', request('rl_member')));
    await guard.canActivate(context('member', request('rl_admin')));
    expect(store.state.touched).toEqual([member.id, admin.id]);
  });
});
