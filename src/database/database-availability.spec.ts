import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { DatabaseAvailability } from './database-availability.js';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
const at = (seconds: number) => jest.setSystemTime(seconds * 1000);

describe('DatabaseAvailability', () => {
  let availability: DatabaseAvailability;
  let warn: jest.Spied<Logger['warn']>;
  let error: jest.Spied<Logger['error']>;
  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
    availability = new DatabaseAvailability();
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    warn.mockRestore();
    error.mockRestore();
    jest.useRealTimers();
  });

  it('logs an outage once when it starts, what failed and without a stack, and once when it ends', () => {
    expect(availability.failed('instance heartbeat', refused())).toBe(true);
    at(1);
    expect(availability.failed('a queue connection', refused())).toBe(true);
    availability.refused('POST /v1/workflows/w/runs/sync', refused());
    at(2);
    availability.refused('GET /v1/runs/r', new Error('The database is unreachable right now'));
    at(20);
    availability.answered();
    at(30);
    availability.answered();
    expect(warn.mock.calls).toEqual([
      [{ during: 'instance heartbeat', error: 'connect ECONNREFUSED 127.0.0.1:5432' }, 'database unreachable'],
      [{ awaySeconds: 20, refusedRequests: 2 }, 'database reachable again'],
    ]);
  });

  it('ends an outage only once nothing has failed for 5 s: calls begun before it ended do not open another', () => {
    availability.failed('an idle connection', refused());
    at(19.5);
    availability.failed('instance heartbeat', refused());
    at(20);
    availability.answered();
    at(20.1);
    availability.refused('POST /v1/workflows/w/runs/sync', refused());
    at(22);
    availability.answered();
    at(24);
    availability.answered();
    expect(warn.mock.calls.map(([, message]) => message)).toEqual(['database unreachable']);
    at(26);
    availability.answered();
    expect(warn.mock.calls.map(([fields]) => fields)).toEqual([
      { during: 'an idle connection', error: 'connect ECONNREFUSED 127.0.0.1:5432' },
      { awaySeconds: 22, refusedRequests: 1 },
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
    at(10);
    availability.answered();
    availability.refused('b', Object.assign(new Error('terminating connection\nDETAIL: more'), { code: '57P01' }));
    availability.refused('c', refused());
    at(20);
    availability.answered();
    expect(availability.refusals).toBe(3);
    expect(warn.mock.calls.map(([fields]) => fields)).toEqual([
      { during: 'a', error: 'connect ECONNREFUSED 127.0.0.1:5432' },
      { awaySeconds: 10, refusedRequests: 1 },
      { during: 'b', error: 'terminating connection (57P01)' },
      { awaySeconds: 10, refusedRequests: 2 },
    ]);
  });

  it('says once per outage that the database is missing, even when the outage began as ended connections', () => {
    const terminated = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    });
    const missing = () => Object.assign(new Error('database "runloom" does not exist'), { code: '3D000' });
    availability.failed('an idle connection', terminated);
    availability.refused('GET /v1/workflows', missing());
    availability.refused('GET /v1/workflows', missing());
    availability.failed('instance heartbeat', missing());
    expect(error.mock.calls).toEqual([
      [
        'database "runloom" does not exist — requests answer 503 until it is restored; a new, empty database needs a restart, which migrates it',
      ],
    ]);
    at(10);
    availability.answered();
    availability.refused('GET /v1/workflows', missing());
    expect(error).toHaveBeenCalledTimes(2);
  });
});
