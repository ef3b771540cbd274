import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger, ServiceUnavailableException } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { DatabaseAvailability } from '../database/database-availability.js';
import { RunOutcomeUnknownProblem } from './problem.js';
import { ProblemFilter } from './problem.filter.js';

/** Runs the filter on `exception` as for `POST /v1/things`; returns the status it answered. */
function answer(filter: ProblemFilter, exception: unknown): number {
  let status = 0;
  const response = {
    headersSent: false,
    setHeader: () => response,
    status: (code: number) => ((status = code), response),
    type: () => response,
    send: () => response,
  };
  const request = { id: 'r1', method: 'POST', path: '/v1/things', originalUrl: '/v1/things' };
  filter.catch(exception, new ExecutionContextHost([request, response]));
  return status;
}

describe('ProblemFilter', () => {
  let availability: DatabaseAvailability;
  let filter: ProblemFilter;
  let error: jest.Spied<Logger['error']>;
  let warn: jest.Spied<Logger['warn']>;
  beforeEach(() => {
    availability = new DatabaseAvailability();
    filter = new ProblemFilter(availability);
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    error.mockRestore();
    warn.mockRestore();
  });

  it('logs a bug (500) at error with the error itself and the request id it answers', () => {
    const bug = new TypeError('x is undefined');
    expect(answer(filter, bug)).toBe(500);
    expect(error.mock.calls).toEqual([[{ err: bug, path: '/v1/things', reqId: 'r1' }, 'unhandled error']]);
  });

  it('counts refusals because the database is away instead of logging them; the outage is logged once', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(answer(filter, refused)).toBe(503);
    expect(answer(filter, new RunOutcomeUnknownProblem('run-1', '/v1/runs/run-1'))).toBe(503);
    expect(error).not.toHaveBeenCalled();
    expect(availability.refusals).toBe(2);
    expect(warn.mock.calls.map(([, message]) => message)).toEqual(['database unreachable']);
  });

  it('logs no other 5xx the code chose to answer (a failing readiness check)', () => {
    expect(answer(filter, new ServiceUnavailableException({ status: 'error' }))).toBe(503);
    expect(error).not.toHaveBeenCalled();
    expect(availability.refusals).toBe(0);
  });
});
