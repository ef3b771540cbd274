import type { ApiKeyRole } from '../generated/prisma/client.js';

/** The role a route needs: the roles of the ladder, lowest first. `member` is not one of them. */
export const REQUIRED_ROLES = ['viewer', 'runner', 'editor', 'admin'] as const;
export type RequiredRole = (typeof REQUIRED_ROLES)[number];

/**
 * Each key role's place on the ladder. `member`, the one non-admin role before the ladder existed,
 * could call every route but the admin ones (groups, keys, webhook secrets), which is exactly `editor`: it keeps that rank
 * (and its name, so existing keys and clients see no change).
 */
const RANK: Record<ApiKeyRole, number> = { viewer: 0, runner: 1, editor: 2, member: 2, admin: 3 };

/** Every role a key may have, lowest first; `member` (editor's rights under its old name) beside editor. */
export const API_KEY_ROLES: ApiKeyRole[] = ['viewer', 'runner', 'editor', 'member', 'admin'];

export function hasRole(role: ApiKeyRole, needed: RequiredRole): boolean {
  return RANK[role] >= RANK[needed];
}

/** The article a sentence puts before the role: `an` editor key, `a` runner key. */
export function articleOf(role: string): 'a' | 'an' {
  return /^[aeiou]/.test(role) ? 'an' : 'a';
}

/** The key roles that may call a route needing `needed`, e.g. `runner` → runner, editor, member, admin. */
export function rolesAllowed(needed: RequiredRole): ApiKeyRole[] {
  return API_KEY_ROLES.filter((role) => hasRole(role, needed));
}

/** Route metadata: the `RequiredRole` a handler needs (set by `@Auth`). */
export const REQUIRED_ROLE = 'runloom:required-role';
/** Route metadata: the route takes no API key (set by `@NoApiKey`). */
export const NO_KEY = 'runloom:no-api-key';
/** The OpenAPI operation extension naming the role an operation needs. */
export const REQUIRED_ROLE_EXTENSION = 'x-required-role';
