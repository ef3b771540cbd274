import type { RunStatus } from '../generated/prisma/client.js';

/** Every run status, in lifecycle order: the `RunStatus` enum of the schema. */
export const RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'waiting', 'completed', 'failed', 'stopped'];

/** A run in one of these never changes again, and its callback is due. */
export const FINISHED_RUN_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'stopped'];

/** FINISHED_RUN_STATUSES as an SQL list, for `status IN (…)`. */
export const FINISHED_RUN_STATUSES_SQL = FINISHED_RUN_STATUSES.map((status) => `'${status}'`).join(', ');

/** A run in one of these is live: queued, executing, or parked (a durable wait) until it resumes. */
export const LIVE_RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'waiting'];

/** LIVE_RUN_STATUSES as an SQL list, for `status IN (…)`. */
export const LIVE_RUN_STATUSES_SQL = LIVE_RUN_STATUSES.map((status) => `'${status}'`).join(', ');

export function isFinishedStatus(status: string): boolean {
  return (FINISHED_RUN_STATUSES as readonly string[]).includes(status);
}
