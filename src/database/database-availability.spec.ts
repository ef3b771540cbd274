import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { DatabaseAvailability } from './database-availability.js';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('DatabaseAvailability', () => {
  let availability: DatabaseAvailability;
  let warn: jest.Spied<Logger['warn']>;
  beforeEach(() => {
    availability = new DatabaseAvailability();
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('logs an outage once when it starts, what failed and without a stack, and once when it ends', () => {
    expect(availability.failed('instance heartbeat', refused())).toBe(true);
    expect(availability.failed('a queue connection', refused())).toBe(true);
    availability.refused('POST /v1/workflows/w/runs/sync', refused());
    availability.refused('GET /v1/runs/r', new Error('The database is unreachable right now'));
    availability.answered();
    availability.answered();
    expect(warn.mock.calls).toEqual([
      [{ during: 'instance heartbeat', error: 'connect ECONNREFUSED 127.0.0.1:5432' }, 'database unreachable'],
      [{ awaySeconds: expect.any(Number), refusedRequests: 2 }, 'database reachable again'],
    ]);
  });

  it('leaves any other error to the caller, and an answer without an outage says nothing', () => {
    const uniqueViolation = Object.assign(new Error('duplicate key value'), { code: '23505' });
    expect(availability.failed('creating a run', uniqueViolation)).toBe(false);
    expect(availability.failed('creating a run', new TypeError('a bug'))).toBe(false);
    availability.answered();
    expect(warn).not.toHaveBeenCalled();
  });

  it('counts refusals across outages; each outage reports its own', () => {
    availability.refused('a', refused());
    availability.answered();
    availability.refused('b', Object.assign(new Error('terminating connection\nDETAIL: more'), { code: '57P01' }));
    availability.refused('c', refused());
    availability.answered();
    expect(availability.refusals).toBe(3);
    expect(warn.mock.calls.map(([fields]) => fields)).toEqual([
      { during: 'a', error: 'connect ECONNREFUSED 127.0.0.1:5432' },
      { awaySeconds: expect.any(Number), refusedRequests: 1 },
      { during: 'b', error: 'terminating connection (57P01)' },
      { awaySeconds: expect.any(Number), refusedRequests: 2 },
    ]);
  });
});
