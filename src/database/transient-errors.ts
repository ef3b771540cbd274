/**
 * Telling a database outage (restart, failover, a full server) from a real error. Errors arrive
 * from `pg` directly, from graphile-worker, and wrapped by Prisma's driver adapter, so the whole
 * cause chain is searched.
 */

const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ENOTFOUND', // a database host whose DNS name is gone while its container restarts
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down, in recovery)
  '53300', // too_many_connections
  // The database itself is gone (dropped, renamed): an outage until it is restored. Start-up stops
  // on these instead (FATAL_CODES), where it is a wrong DATABASE_URL far more often.
  '3D000', // invalid_catalog_name: database "x" does not exist
  '57P04', // database_dropped
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  // Prisma's driver adapter names the same conditions:
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'DatabaseDoesNotExist',
]);

const TRANSIENT_MESSAGES =
  /connection terminated|terminating connection|timeout exceeded when trying to connect|not queryable|connection is closed|server closed the connection|too many clients|the database system is (starting up|shutting down|in recovery)|Can't reach database server/i;

/** Credentials, a missing database: waiting does not fix these, so start-up stops on them. */
const FATAL_CODES = new Set(['28P01', '28000', '3D000', 'DatabaseDoesNotExist', 'AuthenticationFailed']);

export function isTransientDatabaseError(error: unknown): boolean {
  return someCause(error, (code, message) => TRANSIENT_CODES.has(code) || TRANSIENT_MESSAGES.test(message));
}

/**
 * PostgreSQL's SQLSTATE codes (`P0001`, `53100`) and Prisma's (`P2002`): five digits or capital
 * letters. No class starts with E, which keeps out Node's own codes (`EPERM`, `EBADF`).
 */
const SQLSTATE = /^[0-9A-DF-Z][0-9A-Z]{4}$/;

/**
 * Whether the database refused or failed the work: an outage, or an error PostgreSQL reported
 * (a SQLSTATE). Anything else (a TypeError, a RangeError) is an error of ours.
 */
export function isDatabaseError(error: unknown): boolean {
  return isTransientDatabaseError(error) || someCause(error, (code) => SQLSTATE.test(code));
}

export function isFatalDatabaseError(error: unknown): boolean {
  return someCause(error, (code) => FATAL_CODES.has(code));
}

/** A unique index refused the write: PostgreSQL's 23505, as `pg` or Prisma's driver adapter report it. */
export function isUniqueViolation(error: unknown): boolean {
  return someCause(error, (code) => code === '23505' || code === 'P2002' || code === 'UniqueConstraintViolation');
}

const MISSING_DATABASE_CODES = new Set(['3D000', '57P04', 'DatabaseDoesNotExist']);
const MISSING_DATABASE_MESSAGE = /database "[^"]*" does not exist/;

/** When `error` says the database itself is gone: PostgreSQL's words for it (`database "x" does not exist`). */
export function missingDatabase(error: unknown): string | undefined {
  let said: string | undefined;
  const found = someCause(error, (code, message) => {
    said ??= MISSING_DATABASE_MESSAGE.exec(message)?.[0];
    return MISSING_DATABASE_CODES.has(code) || said !== undefined;
  });
  return found ? (said ?? 'the database does not exist') : undefined;
}

function someCause(error: unknown, test: (code: string, message: string) => boolean, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 6) return false;
  const fields = error as Record<string, unknown>;
  const code = [fields.code, fields.originalCode, fields.kind].find((value) => typeof value === 'string') ?? '';
  const message = typeof fields.message === 'string' ? fields.message : '';
  if (test(code as string, message)) return true;
  const nested = [fields.cause, (fields.meta as Record<string, unknown> | undefined)?.driverAdapterError];
  if (Array.isArray(fields.errors)) nested.push(...(fields.errors as unknown[]));
  return nested.some((inner) => someCause(inner, test, depth + 1));
}
