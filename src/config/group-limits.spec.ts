import { describe, expect, it } from '@jest/globals';
import { effectiveLimits, GROUP_LIMITS, parseLimitChanges, storedOverrides } from './group-limits.js';

describe('the per-group limits table', () => {
  it('names each limit once, with its own variable, a default within its bounds and a refusal', () => {
    expect(new Set(GROUP_LIMITS.map((limit) => limit.name)).size).toBe(GROUP_LIMITS.length);
    expect(new Set(GROUP_LIMITS.map((limit) => limit.env)).size).toBe(GROUP_LIMITS.length);
    for (const limit of GROUP_LIMITS) {
      expect(limit.default).toBeGreaterThanOrEqual(limit.min);
      expect(limit.default).toBeLessThanOrEqual(limit.max);
      expect([409, 429]).toContain(limit.refusal.status);
      expect(limit.refusal.advice).not.toBe('');
    }
  });

  it('reads changes: values to set, nulls to reset, and every bad key or value at once', () => {
    expect(parseLimitChanges({ max_active_runs: 5, max_schedules: null })).toEqual({
      changes: { set: { max_active_runs: 5 }, reset: ['max_schedules'] },
      problems: [],
    });
    const { problems } = parseLimitChanges({
      max_runs: 5,
      max_active_runs: -1,
      max_schedules: '10',
      max_schedule_ticks_per_minute: 1.5,
      constructor: 1,
    });
    expect(problems).toEqual([
      { field: 'limits.max_runs', message: expect.stringContaining('is not a limit; the limits are max_active_runs') },
      { field: 'limits.max_active_runs', message: 'must be a whole number from 0 to 1000000, or null' },
      { field: 'limits.max_schedules', message: 'must be a whole number from 0 to 100000, or null' },
      { field: 'limits.max_schedule_ticks_per_minute', message: 'must be a whole number from 0 to 1000000, or null' },
      { field: 'limits.constructor', message: expect.stringContaining('is not a limit') },
    ]);
    expect(parseLimitChanges({ max_active_runs: 1_000_001 }).problems).toHaveLength(1);
  });

  it('lets stored overrides win over the defaults, ignoring values the bounds do not allow', () => {
    const defaults = {
      max_active_runs: 1000,
      max_schedules: 100,
      max_triggers: 100,
      max_schedule_ticks_per_minute: 600,
    };
    const stored = storedOverrides({ max_active_runs: 3, max_schedules: -4, unknown: 9 });
    expect(stored).toEqual({ max_active_runs: 3 });
    expect(effectiveLimits(defaults, stored)).toEqual({ ...defaults, max_active_runs: 3 });
    expect(storedOverrides(null)).toEqual({});
  });
});
