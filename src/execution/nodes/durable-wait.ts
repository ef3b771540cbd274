import { Park, type NodeContext } from '../node-type.js';

/** The longest a WaitNode waits, and a SignalNode's longest timeout: 30 days. */
export const MAX_WAIT_MS = 30 * 24 * 3600 * 1000;

/**
 * A resumed run's clock may run slightly behind the database's, which decided the wait was over:
 * a resumed wait this close to its time is over.
 */
const CLOCK_SKEW_MS = 1000;

/**
 * Returns once `until` has come; until then parks the run (a durable wait). A resumed node keeps
 * the time it first computed: it is not reckoned again from the resume.
 */
export function waitUntil(ctx: NodeContext<unknown>, until: () => Date): void {
  const resumed = ctx.resumedFrom?.until;
  const due = resumed ?? until();
  if (due.getTime() > Date.now() + (resumed ? CLOCK_SKEW_MS : 0)) throw new Park({ until: due });
}
