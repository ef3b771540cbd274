let stampedAt = Number.NaN;
let stamp = '';

/**
 * `new Date(epochMs).toISOString()`, formatted once per millisecond: a small run stamps a dozen
 * records (its events, its node runs' starts and ends, their attempts) within one or two.
 */
export function isoAt(epochMs: number): string {
  if (epochMs !== stampedAt) {
    stampedAt = epochMs;
    stamp = new Date(epochMs).toISOString();
  }
  return stamp;
}

/** `new Date().toISOString()`, as isoAt formats it. */
export function isoNow(): string {
  return isoAt(Date.now());
}
