import { CronExpressionParser } from 'cron-parser';
import type { FieldProblem } from '../common/problem.js';

/**
 * A cron expression in a time zone: 5 fields (minute hour day-of-month month day-of-week) or 6
 * (seconds first), parsed by cron-parser. Ticks are computed in the zone, so "0 7 * * *" in
 * Europe/Paris stays at 7:00 local time across daylight-saving changes.
 */
export class CronSchedule {
  private constructor(
    private readonly cron: string,
    private readonly timezone: string,
  ) {}

  /** The schedule, or the problems with its cron and timezone. */
  static parse(cron: string, timezone: string): CronSchedule | FieldProblem[] {
    const problems: FieldProblem[] = [];
    if (!isTimeZone(timezone)) {
      problems.push({ field: 'timezone', message: `"${timezone}" is not an IANA time zone (e.g. UTC, Europe/Paris)` });
    }
    const fields = cron.trim().split(/\s+/);
    if (fields.length !== 5 && fields.length !== 6) {
      problems.push({ field: 'cron', message: `must have 5 or 6 fields separated by spaces, got ${fields.length}` });
    }
    if (problems.length > 0) return problems;
    const schedule = new CronSchedule(fields.join(' '), timezone);
    try {
      if (schedule.nextAfter(new Date()) === undefined) {
        return [{ field: 'cron', message: 'never fires' }];
      }
    } catch (error) {
      return [{ field: 'cron', message: `is not a valid cron expression: ${(error as Error).message}` }];
    }
    return schedule;
  }

  /** The first tick strictly after `after`; undefined if there is none. */
  nextAfter(after: Date): Date | undefined {
    const expression = CronExpressionParser.parse(this.cron, { currentDate: after, tz: this.timezone });
    if (!expression.hasNext()) return undefined;
    return expression.next().toDate();
  }
}

function isTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}
