import { describe, expect, it } from '@jest/globals';
import {
  isDatabaseError,
  isFatalDatabaseError,
  isTransientDatabaseError,
  missingDatabase,
} from './transient-errors.js';

const pgError = (code: string, message = 'error') => Object.assign(new Error(message), { code, severity: 'FATAL' });

describe('isTransientDatabaseError', () => {
  it.each([
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['connection terminated', new Error('Connection terminated unexpectedly')],
    ['admin shutdown', pgError('57P01', 'terminating connection due to administrator command')],
    ['starting up', pgError('57P03', 'the database system is starting up')],
    ['too many clients', pgError('53300', 'sorry, too many clients already')],
    ['pool timeout', new Error('timeout exceeded when trying to connect')],
    [
      'wrapped by Prisma',
      Object.assign(new Error('query failed'), {
        meta: { driverAdapterError: { cause: { kind: 'DatabaseNotReachable' } } },
      }),
    ],
    ['a cause chain', new Error('outer', { cause: pgError('57P01') })],
    ['a dropped database', pgError('3D000', 'database "runloom" does not exist')],
    ['a database dropped under a session', pgError('57P04', 'database dropped')],
    ['an aggregate', new AggregateError([new Error('x'), new Error('Connection terminated')], 'several')],
  ])('%s is transient', (_, error) => {
    expect(isTransientDatabaseError(error)).toBe(true);
  });

  it.each([
    ['a unique violation', pgError('23505', 'duplicate key value')],
    ['a syntax error', pgError('42601', 'syntax error')],
    ['a plain error', new Error('something else')],
    ['not an error', 'ECONNREFUSED'],
    ['nothing', undefined],
  ])('%s is not', (_, error) => {
    expect(isTransientDatabaseError(error)).toBe(false);
  });
});

describe('isFatalDatabaseError', () => {
  it('wrong credentials and a missing database are fatal; an outage is not', () => {
    expect(isFatalDatabaseError(pgError('28P01', 'password authentication failed'))).toBe(true);
    expect(isFatalDatabaseError(pgError('3D000', 'database "x" does not exist'))).toBe(true);
    expect(isFatalDatabaseError(pgError('57P03'))).toBe(false);
  });
});

describe('missingDatabase', () => {
  it("says which database is missing in PostgreSQL's words, through Prisma's wrapping", () => {
    const wrapped = Object.assign(new Error('query failed'), {
      meta: { driverAdapterError: { cause: pgError('3D000', 'database "runloom_prod" does not exist') } },
    });
    expect(missingDatabase(wrapped)).toBe('database "runloom_prod" does not exist');
    expect(missingDatabase({ kind: 'DatabaseDoesNotExist', message: 'gone' })).toBe('the database does not exist');
  });

  it('says nothing for other outages', () => {
    expect(missingDatabase(pgError('57P01', 'terminating connection due to administrator command'))).toBeUndefined();
    expect(missingDatabase(new Error('connect ECONNREFUSED'))).toBeUndefined();
  });
});

describe('isDatabaseError', () => {
  it.each([
    ['an outage', pgError('57P01')],
    ['an error PostgreSQL raised', pgError('P0001', 'disk full')],
    ['a stack depth error wrapped by Prisma', new Error('query failed', { cause: pgError('54001') })],
  ])('%s is one', (_, error) => {
    expect(isDatabaseError(error)).toBe(true);
  });

  it.each([
    ['a RangeError', new RangeError('Maximum call stack size exceeded')],
    ['a TypeError', new TypeError('x is not a function')],
    ['a Node error code', Object.assign(new Error('operation not permitted'), { code: 'EPERM' })],
  ])('%s is ours, not the database', (_, error) => {
    expect(isDatabaseError(error)).toBe(false);
  });
});
