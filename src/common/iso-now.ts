let stampedAt = Number.NaN;
let stamp = '';

/**
 * `new Date().toISOString()`, formatted once per millisecond: a small run stamps a dozen records
 * (its events, its node runs' starts and ends) within one or two.
 */
export function isoNow(): string {
  const now = Date.now();
  if (now !== stampedAt) {
    stampedAt = now;
    stamp = new Date(now).toISOString();
  }
  return stamp;
}
