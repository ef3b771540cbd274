const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses `250ms`, `5s`, `30m`, `2h` into milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a duration (use ms, s, m or h, e.g. 5s)`);
  return Number(match[1]) * UNITS[match[2]];
}

/** Parses a comma-separated list of durations, e.g. `5s,5m,30m`. */
export function parseDurationList(text: string): number[] {
  return text.split(',').map(parseDuration);
}
