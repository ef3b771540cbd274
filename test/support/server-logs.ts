/** One JSON line of a server's log (pino): its level, message and whatever else it carries. */
export interface LogLine {
  level: number;
  msg: string;
  context?: string;
  [field: string]: unknown;
}

/** pino's levels: `warn` is 40; `error` (50) and above is what alerts page on. */
export const LEVEL = { warn: 40, error: 50 };

/** The JSON lines of a server's output (other lines, such as Node's warnings, are left out). */
export function logLines(output: string): LogLine[] {
  return output.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as LogLine];
    } catch {
      return [];
    }
  });
}

/** Whether a line carries a stack trace anywhere (an `err`, or an error nested in another field). */
export function hasStack(line: LogLine): boolean {
  return JSON.stringify(line).includes('"stack"');
}

/** A line's logger (its context) and message: a key for `countBy`. */
export const byLogger = (line: LogLine) => `${line.context}: ${line.msg}`;

/** How many of `items` fall under each key. */
export const countBy = <T>(items: T[], key: (item: T) => string) =>
  items.reduce<Record<string, number>>(
    (counts, item) => ({ ...counts, [key(item)]: (counts[key(item)] ?? 0) + 1 }),
    {},
  );

/** The lines that open and close a database outage (src/database/database-availability.ts). */
export const OUTAGE_STARTED = /^database unreachable/;
export const OUTAGE_ENDED = /^database reachable again/;

/** Whether the last outage these lines tell of has ended (or none began). */
export const outageOver = (lines: LogLine[]) =>
  !OUTAGE_STARTED.test(
    lines.findLast((line) => OUTAGE_STARTED.test(line.msg) || OUTAGE_ENDED.test(line.msg))?.msg ?? '',
  );
