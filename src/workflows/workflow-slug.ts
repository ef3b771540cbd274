import { Problem } from '../common/problem.js';

/** 1–64 characters: lowercase letters, digits and inner hyphens (`summarize`, `daily-report-2`). */
export const WORKFLOW_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
export const WORKFLOW_SLUG_RULE = 'must be 1-64 lowercase letters, digits or inner hyphens (e.g. daily-report)';

/** Another workflow of the group has the slug already. */
export class SlugTakenProblem extends Problem {
  constructor(slug: string) {
    super(409, 'slug-taken', 'Conflict', `Another workflow of this group has the slug "${slug}".`, { slug });
  }
}

/** Whether `error` is the unique index on (group_id, slug) refusing a write. */
export function isSlugTaken(error: unknown): boolean {
  const { code, meta } = (error ?? {}) as { code?: string; meta?: unknown };
  return code === 'P2002' && JSON.stringify(meta ?? {}).includes('slug');
}
