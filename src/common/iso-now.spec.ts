import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { isoAt, isoNow } from './iso-now.js';

describe('isoNow', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('is the current time as toISOString writes it, at every millisecond', () => {
    jest.useFakeTimers({ now: new Date('2026-12-04T20:00:00.000Z') });
    expect(isoNow()).toBe('2026-12-04T20:00:00.000Z');
    expect(isoNow()).toBe('2026-12-04T20:00:00.000Z');
    jest.advanceTimersByTime(1);
    expect(isoNow()).toBe('2026-12-04T20:00:00.001Z');
    jest.setSystemTime(new Date('2025-01-01T00:00:00.000Z'));
    expect(isoNow()).toBe('2025-01-01T00:00:00.000Z');
  });

  it('formats any millisecond as toISOString does, whichever it formatted last', () => {
    const times = [0, 1_764_892_800_123, 1_764_892_800_123, 1_764_892_800_124, -1];
    for (const time of times) expect(isoAt(time)).toBe(new Date(time).toISOString());
  });
});
